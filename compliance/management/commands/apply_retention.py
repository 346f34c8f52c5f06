"""``manage.py apply_retention [--dry-run]``: anonymise personal data past retention; the audit chain
still verifies afterwards (nothing in it is changed; the purge is appended to it)."""

from django.core.management.base import BaseCommand

from collections_crm.history import system_user
from compliance.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise or purge records that are past their retention period (see settings.RETENTION)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report what would change.")

    def handle(self, *args, dry_run, **options):
        result = retention_apply(actor=system_user(), dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {len(result.customers)} customer(s): {result.customers or '-'}")
        if not dry_run:
            self.stdout.write(f"History rows anonymised: {result.history_rows}")
        for record_type, outcome in result.other.items():
            self.stdout.write(f"{record_type}: {outcome.get('count', 0)}")
        if result.event_seq:
            self.stdout.write(self.style.SUCCESS(f"Recorded as audit event #{result.event_seq}."))
