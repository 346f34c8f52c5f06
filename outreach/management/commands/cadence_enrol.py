"""Enrol existing cases in cadences (those placed before cadences existed, or after a flush).

    manage.py cadence_enrol [--creditor SLUG] [--chunk 50000] [--load-defaults] [--no-progress]

Set-wise, in chunks of case ids (one transaction each, so a million cases neither hold locks for minutes
nor stop the world); a case that was ever enrolled is left alone, so running it again changes nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from tqdm import tqdm

from accounts.models import Case, Creditor
from collections_crm.history import system_user
from outreach.cadences.services import cadence_defaults_load, cadence_enrol_cases, ranked_cadences


class Command(BaseCommand):
    help = "Enrol existing open cases in the best-matching active cadence."

    def add_arguments(self, parser):
        parser.add_argument("--creditor", help="Only this creditor's cases (slug).")
        parser.add_argument("--chunk", type=int, default=50_000, help="Case ids per transaction.")
        parser.add_argument("--load-defaults", action="store_true", help="Create missing default cadences first.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, **options):
        actor = system_user()
        if options["load_defaults"]:
            cadence_defaults_load(actor=actor)
        cases = Case.objects.all()
        if options["creditor"]:
            creditor = Creditor.objects.filter(slug=options["creditor"]).first()
            if creditor is None:
                raise CommandError(f"No creditor with slug {options['creditor']!r}.")
            cases = cases.filter(creditor=creditor)
        cadences = ranked_cadences()
        if not cadences:
            raise CommandError("No active cadence with steps. Try --load-defaults.")
        bounds = cases.aggregate(lo=Min("pk"), hi=Max("pk"))
        total = 0
        if bounds["lo"] is not None:
            chunk = max(1, options["chunk"])
            with tqdm(total=bounds["hi"] - bounds["lo"] + 1, unit="case", disable=options["no_progress"],
                      leave=False) as bar:
                for start in range(bounds["lo"], bounds["hi"] + 1, chunk):
                    part = cases.filter(pk__gte=start, pk__lt=start + chunk)
                    total += sum(cadence_enrol_cases(cases=part, actor=actor, cadences=cadences).values())
                    bar.update(min(chunk, bounds["hi"] + 1 - start))
        self.stdout.write(f"{total} cases enrolled.")
