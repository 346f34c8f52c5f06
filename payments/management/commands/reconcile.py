"""manage.py reconcile — prove balance == placed − net allocations for every account."""

from django.core.management.base import BaseCommand, CommandError

from payments.services import reconcile


class Command(BaseCommand):
    help = "Check every account's balance against its ledger and every payment's allocation; report differences."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, action="append", help="Only these account ids.")

    def handle(self, *args, account=None, **options):
        checked, problems = reconcile(account_ids=account)
        for line in problems:
            self.stdout.write(
                f"account {line.account_id} ({line.reference}) {line.currency}: {line.problem} "
                f"(placed/amount {line.placed}, allocated {line.allocated}, balance/reversed {line.balance})"
            )
        if problems:
            raise CommandError(f"{len(problems)} difference(s) in {checked} accounts.")
        self.stdout.write(self.style.SUCCESS(f"Reconciled {checked} accounts: no differences."))
