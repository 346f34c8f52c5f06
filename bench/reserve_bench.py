"""Contact-gate reservation benchmark: reservations per second through ``contact_reserve`` (one at a time,
each its own transaction) and ``contact_reserve_many`` in batches of 1 and of ``--batch``, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres reserve_batch_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reserve_batch_bench nice .venv/bin/python bench/reserve_bench.py \
        --reservations 1000 --batch 100

Every reservation is a fresh customer (Lagos, SMS consent granted, one account) asking for an SMS at a
weekday noon, so each mode does the same work: every decision is allowed and reserved (GateDecision,
ContactAttempt with its history row, two audit events). Printed per mode: reservations/s (wall clock),
queries and CPU milliseconds per reservation; the ratio is to single ``contact_reserve`` in the same run.
``--modes single`` runs on a tree without the batch service (to compare with an older commit).
Afterwards the audit chain is verified."""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")

SEED = """
INSERT INTO accounts_customer (external_ref, first_name, last_name, email, phone, address_line, city, postal_code,
    region, country, time_zone, possible_time_zones, preferred_channel, language, vulnerability_flags,
    vulnerability_note, created_at, updated_at, creditor_id)
SELECT %(prefix)s || g, 'Bench', 'Customer', 'r' || g || '@example.com', '+23480' || lpad(g::text, 8, '0'), '', '',
    '', '', 'NG', 'Africa/Lagos', '[]'::jsonb, 'sms', 'en', '[]'::jsonb, '', now(), now(), %(creditor)s
FROM generate_series(1, %(n)s) AS g;
INSERT INTO accounts_account (reference, product, currency, principal, interest, fees, credits, placed_amount,
    balance, due_date, placed_at, status, delinquency_bucket, updated_at, creditor_id, customer_id)
SELECT 'A' || c.external_ref, 'Bench', 'NGN', 100, 0, 0, 0, 100, 100, current_date - 40, now(), 'open', '31-60',
    now(), c.creditor_id, c.id
FROM accounts_customer c WHERE c.external_ref LIKE %(like)s;
INSERT INTO compliance_consentrecord (customer_id, channel, status, source, address, evidence, at, actor_id)
SELECT c.id, 'sms', 'granted', 'import', '', '', now() - interval '30 days', %(actor)s
FROM accounts_customer c WHERE c.external_ref LIKE %(like)s;
ANALYZE;
"""


def _weekday_noon_lagos() -> datetime:
    from compliance.rules import holiday_dates

    day = datetime.now(UTC).date() + timedelta(days=1)
    while day.weekday() != 1 or day in holiday_dates("NG", "", (day.year,)):
        day += timedelta(days=1)
    return datetime.combine(day, time(11), tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reservations", type=int, default=1000, help="per mode")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--modes", default="single,batch1,batch", help="comma-separated: single, batch1, batch")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    call_command("migrate", verbosity=0)
    from accounts.models import Account, Creditor
    from collections_crm.history import system_user
    from compliance import services
    from compliance.audit import audit_verify_chain

    actor = system_user()
    creditor = Creditor.objects.get_or_create(slug="reserve-bench-ng", defaults=dict(
        name="Reserve Bench", display_name="Reserve Bench", country="NG", currency="NGN",
        default_phone_region="NG", high_value_threshold=10000))[0]
    at = _weekday_noon_lagos()
    n = args.reservations
    results = {}
    for mode in args.modes.split(","):
        prefix = f"RB{mode}-{clock.time_ns()}-"
        with connection.cursor() as cur:
            cur.execute(SEED, {"prefix": prefix, "like": prefix + "%", "n": n, "creditor": creditor.pk,
                               "actor": actor.pk})
        accounts = list(Account.objects.filter(reference__startswith="A" + prefix).select_related("customer")
                        .order_by("pk"))
        assert len(accounts) == n
        if mode == "single":
            def run(chunk):
                return [services.contact_reserve(customer=a.customer, account=a, channel="sms", actor=actor, at=at)
                        for a in chunk]
            size = 1
        else:
            size = 1 if mode == "batch1" else args.batch

            def run(chunk):
                return services.contact_reserve_many(
                    requests=[services.ReserveRequest(customer=a.customer, account=a, channel="sms") for a in chunk],
                    actor=actor, at=at)
        chunks = [accounts[i:i + size] for i in range(0, n, size)]
        reset_queries()
        allowed = 0
        with CaptureQueriesContext(connection) as captured:
            cpu0, wall0 = clock.process_time(), clock.perf_counter()
            for chunk in chunks:
                allowed += sum(d.allowed for d in run(chunk))
            wall, cpu = clock.perf_counter() - wall0, clock.process_time() - cpu0
        assert allowed == n, f"{mode}: {allowed} of {n} allowed"
        results[mode] = n / wall
        print(f"{mode:>8} (batch of {size:>3}): {n / wall:7.1f} reservations/s; {len(captured) / n:5.2f} queries and "
              f"{1000 * cpu / n:5.2f} ms CPU per reservation (this process)")
    if "single" in results:
        for mode, rate in results.items():
            print(f"{mode:>8}: {rate / results['single']:.2f}x single contact_reserve")
    report = audit_verify_chain()
    print(f"audit chain: ok={report.ok}, {report.checked} events checked")


if __name__ == "__main__":
    main()
