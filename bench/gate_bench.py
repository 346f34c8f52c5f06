"""Contact-gate benchmarks.

1. In-process decision: median µs of compliance.gate.check() for a customer whose context (profile,
   preferences, consents, holds, 20 contact attempts) is loaded; baseline in the same run: a bare
   zoneinfo conversion + dict lookup.
2. Set-based pre-filter: compliance.selectors.contactable_accounts(...).count() over N accounts on
   PostgreSQL (generated with INSERT ... SELECT generate_series); baseline: SELECT count(*) on the same
   accounts table.

    nice .venv/bin/python bench/gate_bench.py --inprocess
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME nice .venv/bin/python bench/gate_bench.py --setwise --accounts 1000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")


def bench_inprocess(calls: int) -> None:
    from compliance.gate import ConsentState, ContactRecord, GateContext, HoldSnapshot, Preferences, check
    from compliance.rules import Tightening, holiday_dates, profile_for

    at = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)  # 12:30 in New York, 09:30 in Los Angeles, a Tuesday
    history = tuple(
        ContactRecord(at - timedelta(hours=7 * i + 1), ("voice", "sms", "email")[i % 3], 1 + i % 2, "collection",
                      False)
        for i in range(20)
    )
    ctx = GateContext(
        profile=profile_for("US", "NY"),
        zones=("America/New_York", "America/Los_Angeles"),
        account_id=1,
        tightening=Tightening(version="2", window_start=time(8, 30), channel_limits={"voice": (5, 7)}),
        holidays=holiday_dates("US", "NY", (2025, 2026, 2027)),
        preferences=Preferences(hours_start=time(9), hours_end=time(20), days=frozenset(range(6))),
        consents={ch: ConsentState("granted", at - timedelta(days=40)) for ch in ("sms", "email", "voice")},
        holds=(HoldSnapshot("hardship_pause", 2, at - timedelta(days=30), at - timedelta(days=2)),),
        history=history,
        contact_points=frozenset({"sms", "email", "voice", "whatsapp"}),
    )
    decision = check(channel="email", at=at, context=ctx)
    assert decision.allowed, decision
    zones = [ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")]
    lookup = {"email": True}

    def timed(fn) -> list[float]:
        samples = []
        for _ in range(calls):
            t0 = clock.perf_counter_ns()
            fn()
            samples.append((clock.perf_counter_ns() - t0) / 1000)
        return samples

    def baseline():
        for z in zones:
            at.astimezone(z)
        return lookup.get("email")

    for channel in ("email", "voice"):
        fn = (lambda ch=channel: check(channel=ch, at=at, context=ctx))  # noqa: E731
        timed(fn)  # warm
        gate = statistics.median(timed(fn))
        base = statistics.median(timed(baseline))
        blocked = check(channel=channel, at=at, context=ctx)
        print(f"check({channel}) allowed={blocked.allowed} reasons={blocked.reasons}: median {gate:.1f} µs; "
              f"baseline (2 zoneinfo conversions + dict lookup) {base:.2f} µs; ratio {gate / base:.1f}x")
    late = at + timedelta(hours=9)  # 21:30 New York: blocked, so the next-allowed search runs
    fn = lambda: check(channel="voice", at=late, context=ctx)  # noqa: E731
    gate = statistics.median(timed(fn))
    print(f"check(voice, blocked, with next_allowed_at search) {fn().reasons}: median {gate:.1f} µs")


GENERATE = """
INSERT INTO accounts_customer (external_ref, first_name, last_name, email, phone, address_line, city, postal_code,
    region, country, time_zone, possible_time_zones, preferred_channel, language, vulnerability_flags,
    vulnerability_note, created_at, updated_at, creditor_id)
SELECT 'B' || g, 'Bench', 'Customer', CASE WHEN g %% 10 = 0 THEN '' ELSE 'b' || g || '@example.com' END,
    CASE WHEN g %% 17 = 0 THEN '' ELSE '+1555' || lpad((g %% 10000000)::text, 7, '0') END, '', '', '',
    (ARRAY['MA','NY','WA','CA','','TX'])[1 + g %% 6], (ARRAY['US','US','US','NG','GB'])[1 + g %% 5],
    (ARRAY['America/New_York','America/Los_Angeles','America/Chicago','Africa/Lagos','Europe/London','',
           'Asia/Kolkata'])[1 + g %% 7],
    CASE WHEN g %% 7 = 5 AND g %% 3 = 0 THEN '["America/New_York","America/Los_Angeles"]'::jsonb ELSE '[]'::jsonb END,
    'sms', 'en', '[]'::jsonb, '', now(), now(), %(creditor)s + g %% 2
FROM generate_series(1, %(n)s) AS g;
INSERT INTO accounts_account (reference, product, currency, principal, interest, fees, credits, placed_amount,
    balance, due_date, placed_at, status, delinquency_bucket, updated_at, creditor_id, customer_id)
SELECT 'BA' || c.external_ref, 'Bench', 'USD', 100, 0, 0, 0, 100, 100, current_date - 40, now(),
    CASE WHEN c.id %% 23 = 0 THEN 'paid' ELSE 'open' END, '31-60', now(), c.creditor_id, c.id
FROM accounts_customer c WHERE c.external_ref LIKE 'B%%';
INSERT INTO compliance_consentrecord (customer_id, channel, status, source, address, evidence, at, actor_id)
SELECT c.id, 'sms', CASE WHEN c.id %% 20 = 0 THEN 'revoked' ELSE 'granted' END, 'import', '', '', now() - interval '30 days', %(actor)s
FROM accounts_customer c WHERE c.external_ref LIKE 'B%%' AND c.id %% 3 <> 0;
INSERT INTO compliance_hold (customer_id, account_id, kind, status, starts_at, ends_at, reason, placed_at, lift_reason, placed_by_id)
SELECT a.customer_id, a.id, 'dispute', 'active', now() - interval '3 days', NULL, '', now(), '', %(actor)s
FROM accounts_account a WHERE a.reference LIKE 'BA%%' AND a.id %% 50 = 0;
INSERT INTO compliance_gatedecision (customer_id, account_id, channel, purpose, at, allowed, reasons, next_allowed_at,
    rule_version, zones, required_disclosures, actor_id, created_at)
SELECT a.customer_id, a.id, 'voice', 'collection', %(at)s::timestamptz - (k || ' hours')::interval, true, '["allowed"]',
    NULL, 'bench', '[]', '[]', %(actor)s, now()
FROM accounts_account a CROSS JOIN generate_series(1, 8) AS k WHERE a.reference LIKE 'BA%%' AND a.id %% 10 = 0;
INSERT INTO compliance_contactattempt (customer_id, account_id, channel, purpose, at, decision_id, status, outcome,
    is_conversation, completed_at)
SELECT d.customer_id, d.account_id, d.channel, d.purpose, d.at, d.id, 'sent', '', d.id %% 40 = 0, d.at
FROM compliance_gatedecision d WHERE d.rule_version = 'bench';
ANALYZE;
"""


def bench_setwise(n: int, reuse: bool) -> None:
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Account, Creditor
    from collections_crm.history import system_user
    from compliance.selectors import contactable_accounts

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # a Tuesday: 12:00 New York, 09:00 Los Angeles
    existing = Account.objects.filter(reference__startswith="BA").count()
    if not (reuse and existing == n):
        with connection.cursor() as cur:
            cur.execute("DELETE FROM compliance_contactattempt WHERE decision_id IN "
                        "(SELECT id FROM compliance_gatedecision WHERE rule_version = 'bench')")
            cur.execute("DELETE FROM compliance_gatedecision WHERE rule_version = 'bench'")
            cur.execute("DELETE FROM compliance_hold WHERE customer_id IN "
                        "(SELECT id FROM accounts_customer WHERE external_ref LIKE 'B%%')")
            cur.execute("DELETE FROM compliance_consentrecord WHERE customer_id IN "
                        "(SELECT id FROM accounts_customer WHERE external_ref LIKE 'B%%')")
            cur.execute("DELETE FROM accounts_account WHERE reference LIKE 'BA%%'")
            cur.execute("DELETE FROM accounts_customer WHERE external_ref LIKE 'B%%'")
        first = Creditor.objects.get_or_create(slug="bench-us", defaults=dict(
            name="Bench US", display_name="Bench US", country="US", region="MA", currency="USD",
            default_phone_region="US", high_value_threshold=10000))[0]
        second = Creditor.objects.get_or_create(slug="bench-us-2", defaults=dict(
            name="Bench US 2", display_name="Bench US 2", country="US", region="", currency="USD",
            default_phone_region="US", high_value_threshold=10000))[0]
        assert second.pk == first.pk + 1, "bench creditors must have consecutive ids"
        t0 = clock.perf_counter()
        with connection.cursor() as cur:
            cur.execute(GENERATE, {"n": n, "creditor": first.pk, "actor": system_user().pk, "at": at})
        print(f"generated {n} customers and accounts (+ consents, holds, attempts) in {clock.perf_counter() - t0:.1f} s")
    qs = Account.objects.filter(reference__startswith="BA")
    if os.environ.get("BENCH_JIT", "off") == "off":
        # PostgreSQL's JIT compiles this wide filter for tens of seconds before running it; off is the
        # usual setting for OLTP and what docs/benchmarks.md recommends for the cadence worker.
        with connection.cursor() as cur:
            cur.execute("SET jit = off")
    # The id sets (opted out, on hold, at a cap) must fit in memory to be hashed once instead of scanned
    # per row; the cadence worker's connection should use the same setting.
    with connection.cursor() as cur:
        cur.execute("SET work_mem = %s", [os.environ.get("BENCH_WORK_MEM", "256MB")])

    def timed(fn, repeat=1 if n >= 200_000 else 3):
        times, value = [], None
        for _ in range(repeat):
            t0 = clock.perf_counter()
            value = fn()
            times.append(clock.perf_counter() - t0)
        return statistics.median(times), value

    def plain_count():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM accounts_account")
            return cur.fetchone()[0]

    base, total = timed(plain_count)
    print(f"baseline SELECT count(*) over accounts_account ({total} rows): {base:.3f} s")
    for channel in ("sms", "voice"):
        secs, allowed = timed(lambda ch=channel: contactable_accounts(queryset=qs, channel=ch, at=at).count())
        print(f"contactable_accounts(channel={channel}).count() over {n} accounts: {secs:.2f} s "
              f"({allowed} contactable); ratio {secs / base:.1f}x the plain count")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inprocess", action="store_true")
    parser.add_argument("--setwise", action="store_true")
    parser.add_argument("--accounts", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true", help="reuse generated accounts if the count matches")
    args = parser.parse_args()
    if args.inprocess or not args.setwise:
        import django

        django.setup()
        bench_inprocess(args.calls)
    if args.setwise:
        bench_setwise(args.accounts, args.reuse)
