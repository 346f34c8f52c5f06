"""Benchmark: how fast seed_demo loads the demo portfolio, against a plain bulk_create baseline.

Run on an empty, freshly created database (the script migrates it):

    dropdb -h 127.0.0.1 -U postgres --if-exists collections_bench
    createdb -h 127.0.0.1 -U postgres collections_bench
    DJANGO_DEBUG=false DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_bench \
        nice .venv/bin/python bench/seed_demo_bench.py --accounts 100000

Baseline, in the same run: ``Group.objects.bulk_create`` of the same number of bare rows (one short
text column) into one table, batch_size 5000, rolled back afterwards. The ratio says how many times
longer a full demo account (customer + account + case, each with its history row, generated
realistically) takes than one bare row.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.demo.loader import demo_portfolio_digest  # noqa: E402
from accounts.models import Account, Case, Customer  # noqa: E402


class Rollback(Exception):
    pass


def baseline(n: int) -> float:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            for start in range(0, n, 5000):
                Group.objects.bulk_create(
                    [Group(name=f"bench-{i}") for i in range(start, min(n, start + 5000))], batch_size=5000
                )
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Account.objects.exists():
        sys.exit("The database already holds accounts: use a fresh one (see the docstring).")
    started = time.perf_counter()
    call_command("seed_demo", accounts=args.accounts, seed=args.seed, no_progress=True, verbosity=0)
    seed_s = time.perf_counter() - started
    rows = 2 * (Customer.objects.count() + Account.objects.count() + Case.objects.count())
    base_s = baseline(args.accounts)
    print(f"database         {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"accounts         {args.accounts:,} (seed {args.seed}); rows written incl. history: {rows:,}")
    print(f"seed_demo        {seed_s:8.1f} s   {args.accounts / seed_s:10,.0f} accounts/s   {rows / seed_s:10,.0f} rows/s")
    print(f"baseline         {base_s:8.1f} s   {args.accounts / base_s:10,.0f} bare rows/s (Group.bulk_create)")
    print(f"ratio            {seed_s / base_s:8.2f} x the baseline time")
    print(f"digest           {demo_portfolio_digest()}")


if __name__ == "__main__":
    main()
