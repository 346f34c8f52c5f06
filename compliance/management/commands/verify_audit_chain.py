"""``manage.py verify_audit_chain``: walk the hash chain; exit 1 and name the first broken link if any."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.audit import audit_verify_chain
from compliance.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, batch_size, no_progress, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = AuditEvent.objects.count()
        show_bar = not no_progress and total > batch_size
        with tqdm(total=total, unit="event", disable=not show_bar, file=sys.stderr) as bar:
            report = audit_verify_chain(batch_size=batch_size, on_progress=bar.update)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain verified: {report.checked} events, no broken link."))
            return
        raise CommandError(
            f"Audit chain BROKEN at event #{report.first_broken_seq}: {report.problem} "
            f"({report.checked} events verified before it)."
        )
