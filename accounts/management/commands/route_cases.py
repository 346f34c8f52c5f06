"""manage.py route_cases [--creditor SLUG] [--limit N]: route open cases again from their facts."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import Creditor
from accounts.services_routing import cases_needing_routing, cases_route_all
from collections_crm.history import system_user


class Command(BaseCommand):
    help = ("Route open cases again: those whose facts (dispute, balance at or above the threshold, "
            "vulnerability, callback, complaint, review, broken plans) may need a person, and those with a "
            "person now. Changes are recorded with history and audit, attributed to the system user.")

    def add_arguments(self, parser):
        parser.add_argument("--creditor", help="Only this creditor (slug).")
        parser.add_argument("--limit", type=int, help="At most this many cases.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, creditor=None, limit=None, no_progress=False, **options):
        cred = None
        if creditor:
            cred = Creditor.objects.filter(slug=creditor).first()
            if cred is None:
                raise CommandError(f"No creditor {creditor!r}.")
        total = cases_needing_routing(creditor=cred).count()
        if limit:
            total = min(total, limit)
        bar = tqdm(total=total, unit="case", desc="Routing", disable=no_progress or options["verbosity"] == 0)
        try:
            counts = cases_route_all(actor=system_user(), creditor=cred, limit=limit, progress=bar.update)
        finally:
            bar.close()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Checked {counts['checked']} cases; {counts['changed']} moved."))
