"""Webhook ingest benchmark: gunicorn (2 workers) on 127.0.0.1 against PostgreSQL.

    nice .venv/bin/python bench/webhook_bench.py --database-url postgres://postgres@127.0.0.1:5432/collections_h4 \
        --events 6000 --mode worker --redis redis://127.0.0.1:6379/4

Posts N signed Stripe-shaped events (10% exact duplicates, ~5% failures delivered after their success and
~2% refunds delivered before their payment, the rest shuffled in windows) from a pool of HTTP clients.
Baseline in the same run: the same number of GETs of /payments/healthz/ on the same gunicorn.

--mode eager: processing runs inside the request (CELERY_TASK_ALWAYS_EAGER=true).
--mode worker: the request verifies + stores + enqueues; a real Celery worker (Redis) processes; the
               ingest rate is measured at the HTTP side and the drain time until every event is processed.
Afterwards: zero double-counted payments and a clean reconcile for the benchmark's accounts."""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_setup(env):
    os.environ.update(env)
    import django

    django.setup()


def make_accounts(n: int, run: str):
    from accounts.models import Account, Case, Creditor, Customer

    creditor = Creditor.objects.create(slug=f"bench-{run}", name="Bench Ltd", display_name="Bench", country="NG",
                                       currency="NGN", default_phone_region="NG", high_value_threshold=Decimal("1e9"))
    customers = Customer.objects.bulk_create([
        Customer(creditor=creditor, external_ref=f"B{i}", first_name="Ada", last_name=f"B{i}", phone=f"+23480{i:08d}")
        for i in range(n)
    ])
    accounts = Account.objects.bulk_create([
        Account(creditor=creditor, customer=c, reference=f"BENCH{i}", currency="NGN", principal=Decimal("100000.00"),
                placed_amount=Decimal("100000.00"), balance=Decimal("100000.00"), due_date="2026-01-01",
                delinquency_bucket="91-180")
        for i, c in enumerate(customers)
    ])
    Case.objects.bulk_create([Case(account=a, creditor=creditor) for a in accounts])
    return [a.pk for a in accounts]


def build_events(account_ids: list[int], n: int, run: str, rng: random.Random):
    """Returns (events to send in order, expected successful intents → (account, minor amount))."""
    from payments.gateways.offline import build_event, intent_object

    unique, expected = [], {}
    i = 0
    while len(unique) < int(n * 0.9):
        account = rng.choice(account_ids)
        amount = rng.randint(1, 50) * 100  # 1..50 NGN in kobo
        intent = f"pi_bench_{run}_{i}"
        i += 1
        meta = {"account_id": str(account)}
        ok = build_event("payment_intent.succeeded", intent_object(
            intent_id=intent, amount_minor=amount, currency="NGN", metadata=meta, status="succeeded"))
        expected[intent] = (account, amount)
        roll = rng.random()
        if roll < 0.05:  # a failure delivered after the success: must change nothing
            fail = build_event("payment_intent.payment_failed", intent_object(
                intent_id=intent, amount_minor=amount, currency="NGN", metadata=meta, status="requires_payment_method",
                error="declined"))
            unique += [ok, fail]
        elif roll < 0.07:  # a refund delivered before its payment: must wait, then apply
            refund = build_event("charge.refunded", {
                "id": "ch_" + intent, "object": "charge", "payment_intent": intent, "amount_refunded": 100,
                "currency": "ngn", "metadata": meta, "refunds": {"data": [{"id": "re_" + intent, "amount": 100}]}})
            unique += [refund, ok]
            expected[intent] = (account, amount, 100)
        else:
            unique.append(ok)
    unique = unique[: int(n * 0.9)]
    sent_ids = {e["id"] for e in unique}
    sent_successes = {e["data"]["object"]["id"] for e in unique if e["type"] == "payment_intent.succeeded"}
    expected = {k: v for k, v in expected.items() if k in sent_successes}
    duplicates = [rng.choice(unique) for _ in range(n - len(unique))]
    events = unique + duplicates
    # Out of order: shuffle within windows of 20 (duplicates land near or far from their original).
    for start in range(0, len(events), 20):
        window = events[start:start + 20]
        rng.shuffle(window)
        events[start:start + 20] = window
    rng.shuffle(duplicates)
    return events, expected, sent_ids


def post_all(url: str, bodies: list[tuple[str, str]] | None, count: int, clients: int, method="POST"):
    local = threading.local()

    def session():
        if not hasattr(local, "s"):
            local.s = requests.Session()
        return local.s

    statuses = []

    def one(i):
        s = session()
        if method == "GET":
            r = s.get(url, timeout=30)
        else:
            payload, sig = bodies[i]
            r = s.post(url, data=payload, headers={"Content-Type": "application/json", "Stripe-Signature": sig},
                       timeout=30)
        return r.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(one, range(count), chunksize=8))
    return time.perf_counter() - started, statuses


def wait_port(port, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--accounts", type=int, default=300)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--mode", choices=["eager", "worker"], default="worker")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--worker-concurrency", type=int, default=4)
    ap.add_argument("--worker-after", action="store_true",
                    help="worker mode: start the Celery worker only after ingest (ingest measured without it)")
    args = ap.parse_args()

    run = f"{int(time.time())}"
    env = {
        "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "collections_crm.settings.local",
        "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600",
        "CELERY_TASK_ALWAYS_EAGER": "true" if args.mode == "eager" else "false",
        "CELERY_BROKER_URL": args.redis if args.mode == "worker" else "memory://",
    }
    django_setup(env)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    account_ids = make_accounts(args.accounts, run)
    events, expected, _ids = build_events(account_ids, args.events, run, rng)
    from payments.gateways.stripe_client import sign_payload

    bodies = []
    for e in events:
        payload = json.dumps(e)
        bodies.append((payload, sign_payload(payload, settings.STRIPE_WEBHOOK_SECRET)))

    port = free_port()
    child_env = {**os.environ, **env}
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "collections_crm.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--keep-alive", "30"], cwd=ROOT, env=child_env)
    worker = None

    def start_worker():
        return subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "collections_crm", "worker", "-c", str(args.worker_concurrency), "--loglevel", "WARNING",
             "-P", "prefork", "--without-mingle", "--without-gossip"], cwd=ROOT, env=child_env)

    if args.mode == "worker":
        subprocess.run([str(ROOT / ".venv/bin/celery"), "-A", "collections_crm", "purge", "-f"], cwd=ROOT,
                       env=child_env, capture_output=True)
        if not args.worker_after:
            worker = start_worker()
    try:
        wait_port(port, gunicorn)
        base = f"http://127.0.0.1:{port}"
        post_all(base + "/payments/healthz/", None, 200, args.clients, method="GET")  # warm-up
        t_base, base_statuses = post_all(base + "/payments/healthz/", None, len(events), args.clients, method="GET")
        t_hook, statuses = post_all(base + "/payments/webhooks/stripe/", bodies, len(events), args.clients)
        from payments.models import ProviderEvent

        if args.mode == "worker" and args.worker_after:
            worker = start_worker()
        drain_started = time.perf_counter()
        while ProviderEvent.objects.filter(status="received", event_id__in=[e["id"] for e in events]).exists():
            time.sleep(0.5)
            if time.perf_counter() - drain_started > 600:
                raise SystemExit("events not processed after 10 minutes")
        t_drain = time.perf_counter() - drain_started
    finally:
        for proc in (gunicorn, worker):
            if proc is not None:
                proc.terminate()
                proc.wait(20)

    from django.db.models import Count

    from payments.models import Allocation, Payment
    from payments.services import reconcile

    bad = [s for s in statuses if s != 200]
    payments = Payment.objects.filter(account_id__in=account_ids).exclude(status__in=["pending", "failed"])
    doubled = Payment.objects.filter(account_id__in=account_ids).values("provider_payment_id") \
        .annotate(n=Count("id")).filter(n__gt=1).count()
    lines_per_payment = Allocation.objects.filter(account_id__in=account_ids, kind="payment") \
        .values("payment_id").annotate(n=Count("id")).filter(n__gt=1).count()
    checked, problems = reconcile(account_ids=account_ids)
    hook_rate, base_rate = len(events) / t_hook, len(events) / t_base
    report = {
        "mode": args.mode + (" (worker started after ingest)" if args.worker_after else ""), "events": len(events), "unique_events": len({e["id"] for e in events}),
        "clients": args.clients, "worker_concurrency": args.worker_concurrency if args.mode == "worker" else None, "accounts": args.accounts,
        "webhook_events_per_s": round(hook_rate, 1), "baseline_healthz_per_s": round(base_rate, 1),
        "ratio_webhook_to_baseline": round(hook_rate / base_rate, 3),
        "drain_after_ingest_s": round(t_drain, 1),
        "end_to_end_events_per_s": round(len(events) / (t_hook + t_drain), 1),
        "non_200": len(bad), "baseline_non_200": len([s for s in base_statuses if s != 200]),
        "expected_payments": len(expected), "payments_recorded": payments.count(),
        "double_counted_payments": doubled, "payments_with_repeated_lines": lines_per_payment,
        "reconcile_checked": checked, "reconcile_problems": len(problems),
    }
    print(json.dumps(report, indent=2))
    ok = (not bad and doubled == 0 and lines_per_payment == 0 and not problems
          and payments.count() == len(expected))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
