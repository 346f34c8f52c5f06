"""manage.py seed_demo [--accounts N] [--seed S] [--if-empty]: load the demo portfolio."""

import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.demo.brands import DEFAULT_DEMO_PASSWORD
from accounts.demo.loader import demo_portfolio_digest, demo_seed
from accounts.models import Account
from collections_crm.errors import ApplicationError
from collections_crm.history import system_user


class Command(BaseCommand):
    help = (
        "Load a deterministic demo portfolio (creditors with brands, customers in NG/US/GB, accounts in "
        "every bucket, one case each) and demo sign-ins for every role. Same --seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=2000, help="How many accounts (default 2000).")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any account already exists."
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--route", type=int, default=20_000, metavar="N",
            help="Route at most N cases to the desk queues afterwards (default 20,000; the rest: route_cases).",
        )

    def handle(self, *args, accounts, seed, if_empty, batch_size, no_progress, route, **options):
        if accounts < 0 or batch_size < 1 or route < 0:
            raise CommandError("--accounts must be 0 or more, --route 0 or more and --batch-size at least 1.")
        if if_empty and Account.objects.exists():
            self.stdout.write("Accounts already exist; leaving the data as it is (--if-empty).")
            return
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        bar = tqdm(
            total=accounts, unit="acct", unit_scale=True, desc="Demo accounts",
            disable=no_progress or options["verbosity"] == 0,
        )
        try:
            result = demo_seed(
                actor=system_user(), accounts=accounts, seed=seed, password=password,
                batch_size=batch_size, progress=bar.update,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        # Route the new cases (disputes, high value, extra care) so the desk has work on day one. Each
        # case is routed with history and an audit event (tens a second), so a big portfolio routes its
        # first N here and the rest with ``manage.py route_cases``.
        from accounts.services_routing import cases_needing_routing, cases_route_all

        waiting = cases_needing_routing().count()
        routed = min(waiting, route)
        bar = tqdm(total=routed, unit="case", desc="Routing", disable=no_progress or options["verbosity"] == 0)
        try:
            if routed:
                cases_route_all(actor=system_user(), limit=routed, progress=bar.update)
        finally:
            bar.close()
        out = self.stdout
        if options["verbosity"] == 0:
            return
        out.write(
            self.style.SUCCESS(
                f"Loaded {result.accounts} accounts, {result.customers} customers and {result.cases} cases "
                f"for {result.creditors} creditors (seed {seed})."
            )
        )
        if waiting > routed:
            out.write(f"Routed {routed:,} of {waiting:,} cases that may need a person; "
                      "`manage.py route_cases` routes the rest.")
        if options["verbosity"] > 1:
            out.write(f"Digest: {demo_portfolio_digest()}")
        out.write(f"Demo sign-ins (password: {password}):")
        for username, role in result.logins:
            out.write(f"  {role:<11} {username}")
