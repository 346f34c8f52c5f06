"""Send pipeline benchmark: messages queued through the contact gate, sent by Celery workers over Redis
to a local HTTP sink standing in for the provider (outreach.backends.http_sink).

    createdb -h 127.0.0.1 -U postgres collections_send_bench
    nice .venv/bin/python bench/send_bench.py --database-url postgres://postgres@127.0.0.1:5432/collections_send_bench \
        --redis redis://127.0.0.1:6379/5 --messages 3000 --producers 2 --concurrency 2 [--batch 100] [--pool threads]

What is timed (pipeline): from the first queueing call (template choice, rendering with a pay link, the
contact gate — decisions, reservations and audit events) to the sink having received every message once,
with ``--producers`` processes queueing and one Celery worker (``--concurrency`` children, ``--pool``)
claiming, sending over HTTP and recording them.
``--batch N`` (default 100): producers call ``message_queue_many`` with N items, as the cadence tick does
(one gate call and one commit per batch; one ``send_messages`` task per ``OUTREACH_SEND_BATCH`` = N
messages, posted by ``--send-threads`` threads per worker child on keep-alive connections).
``--batch 1``: the per-message path — ``message_queue`` and one ``send_message`` task per message.
Baseline in the same run: the sink's raw rate — the same number of POSTs of the same JSON from as many
client threads as the pipeline has requests in flight, on keep-alive sessions, with nothing else.
Afterwards: every message sent exactly once (the sink counts idempotency keys), none left behind.
``--profile PREFIX`` / ``--worker-profile FILE``: cProfile stats of the producers / of a solo worker."""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# ---- the sink ------------------------------------------------------------------------------------------


def run_sink(port: int) -> None:
    lock = threading.Lock()
    state = {"requests": 0, "keys": set(), "duplicates": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The answer goes out as headers then body: without TCP_NODELAY the body waits for the client's
        # delayed ACK (~40 ms) on every keep-alive request, which capped the sink at ~25 requests/s per
        # connection.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _answer(self, body: dict, code: int = 200):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            key = self.headers.get("Idempotency-Key", "")
            with lock:
                state["requests"] += 1
                if key in state["keys"]:
                    state["duplicates"] += 1
                state["keys"].add(key)
            self._answer({"id": f"SINK{uuid.uuid4().hex[:20]}"})

        def do_GET(self):  # noqa: N802
            if self.path == "/reset":
                with lock:
                    state.update(requests=0, keys=set(), duplicates=0)
            with lock:
                self._answer({"requests": state["requests"], "unique": len(state["keys"]),
                              "duplicates": state["duplicates"]})

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def sink_count(base: str) -> dict:
    return requests.get(f"{base}/count", timeout=5).json()


def raw_rate(base: str, n: int, threads: int) -> float:
    payload = {"channel": "sms", "to": "+2348000000000", "from": "Bench", "subject": "",
               "body": "Hi Ada, this is Bench. A friendly reminder: ₦100,000.00 was due. " * 2, "reference": "0"}
    local = threading.local()

    def one(i):
        session = getattr(local, "s", None) or requests.Session()
        local.s = session
        session.post(f"{base}/sms", json=payload, headers={"Idempotency-Key": f"raw-{i}"}, timeout=10).json()

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(n)))
    return n / (time.perf_counter() - start)


# ---- Django side ---------------------------------------------------------------------------------------


def noon_zone() -> str:
    offset = 12 - datetime.now(UTC).hour
    offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def make_accounts(n: int, run: str) -> list[int]:
    from decimal import Decimal

    from accounts.models import Account, Case, Creditor, Customer
    from collections_crm.history import system_user
    from compliance.models import ConsentRecord

    creditor = Creditor.objects.create(slug=f"send-bench-{run}", name="Bench Ltd", display_name="Bench", country="NG",
                                       currency="NGN", default_phone_region="NG", high_value_threshold=Decimal("1e9"))
    zone = noon_zone()
    customers = Customer.objects.bulk_create([
        Customer(creditor=creditor, external_ref=f"S{i}", first_name="Ada", last_name=f"S{i}",
                 phone=f"+23481{i:08d}", time_zone=zone, country="NG")
        for i in range(n)
    ])
    accounts = Account.objects.bulk_create([
        Account(creditor=creditor, customer=c, reference=f"SEND{run}{i}", currency="NGN",
                principal=Decimal("100000.00"), placed_amount=Decimal("100000.00"), balance=Decimal("100000.00"),
                due_date="2026-01-01", delinquency_bucket="91-180")
        for i, c in enumerate(customers)
    ])
    Case.objects.bulk_create([Case(account=a, creditor=creditor) for a in accounts])
    actor = system_user()
    ConsentRecord.objects.bulk_create([
        ConsentRecord(customer=c, channel="sms", status="granted", source="import", actor=actor) for c in customers
    ])
    return [a.pk for a in accounts]


def producer(env: dict, queue: str, account_ids: list[int], out, batch: int, profile: str = "") -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Account
    from collections_crm.celery import app
    from collections_crm.history import system_user
    from outreach.services import message_queue
    from outreach.services.messages import QueueItem, message_queue_many

    app.conf.task_default_queue = queue
    actor = system_user()
    blocked = 0
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    accounts = list(Account.objects.filter(pk__in=account_ids).select_related("customer", "creditor"))
    # payment_receipt is transactional: the bench does not depend on a quiet day or the hour.
    if batch == 1:
        # The per-message path: message_queue and one send task per message.
        for account in accounts:
            msg = message_queue(customer=account.customer, account=account, channel="sms",
                                purpose="payment_receipt", actor=actor, source="system",
                                extra_context={"payment_amount": "₦2,000.00"})
            blocked += msg.status == "blocked"
    else:
        # As the cadence tick queues: message_queue_many per batch (one gate call, one commit, one send
        # task per OUTREACH_SEND_BATCH messages).
        for i in range(0, len(accounts), batch):
            items = [QueueItem(customer=a.customer, account=a, channel="sms", purpose="payment_receipt",
                               extra_context={"payment_amount": "₦2,000.00"}) for a in accounts[i:i + batch]]
            for msg in message_queue_many(items=items, actor=actor, source="system"):
                blocked += getattr(msg, "status", "blocked") == "blocked"
    elapsed = time.perf_counter() - start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{profile}.{os.getpid()}")
    out.put((len(account_ids), blocked, elapsed))
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--producers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100,
                        help="messages per message_queue_many call (1: message_queue and a send task per message)")
    parser.add_argument("--pool", choices=("prefork", "threads"), default="prefork", help="Celery worker pool")
    parser.add_argument("--send-threads", type=int, default=8,
                        help="requests the HTTP sink back-end has in flight per worker child (OUTREACH_HTTP_SINK_THREADS)")
    parser.add_argument("--profile", default="", help="write cProfile stats of the producers to PREFIX.<pid>")
    parser.add_argument("--worker-profile", default="",
                        help="run the worker as one process (--pool=solo) under cProfile, stats to this file")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink)
        return

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    queue = f"send-bench-{uuid.uuid4().hex[:8]}"
    env = {
        "DJANGO_SETTINGS_MODULE": "collections_crm.settings.local", "DJANGO_DEBUG": "false",
        "DATABASE_URL": args.database_url, "CELERY_BROKER_URL": args.redis, "CELERY_TASK_ALWAYS_EAGER": "false",
        "OUTREACH_SMS_BACKEND": "outreach.backends.http_sink.HttpSinkBackend",
        "OUTREACH_HTTP_SINK_URL": f"{base}/sms", "PYTHONUNBUFFERED": "1",
        "OUTREACH_HTTP_SINK_THREADS": str(args.send_threads), "OUTREACH_SEND_BATCH": str(max(1, args.batch)),
    }
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ})
    sink = subprocess.Popen([sys.executable, __file__, "--database-url", "-", "--sink", str(port)], cwd=ROOT)
    worker = None
    try:
        for _ in range(100):
            try:
                sink_count(base)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        # As many client threads as the pipeline can have requests in flight (worker children × the
        # back-end's threads when sending batches).
        raw_threads = args.concurrency * (args.send_threads if args.batch > 1 else 1)
        baseline = raw_rate(base, args.messages, raw_threads)
        requests.get(f"{base}/reset", timeout=5)

        import django

        django.setup()
        from django.db import connection

        run = uuid.uuid4().hex[:6]
        ids = make_accounts(args.messages, run)
        connection.close()
        pool = [f"--pool={args.pool}", f"--concurrency={args.concurrency}"]
        python = [sys.executable]
        if args.worker_profile:
            pool, python = ["--pool=solo"], [sys.executable, "-m", "cProfile", "-o", args.worker_profile]
        worker = subprocess.Popen(
            [*python, "-m", "celery", "-A", "collections_crm", "worker", "--loglevel=WARNING", "-Q", queue,
             *pool, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env={**os.environ})
        time.sleep(6)  # let the worker connect before the clock starts
        out = mp.Queue()
        slices = [ids[i::args.producers] for i in range(args.producers)]
        start = time.perf_counter()
        procs = [mp.Process(target=producer, args=(env, queue, part, out, args.batch, args.profile)) for part in slices]
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        queued_at = time.perf_counter() - start
        blocked = sum(r[1] for r in results)
        expected = args.messages - blocked
        while True:
            count = sink_count(base)
            if count["unique"] >= expected:
                break
            if time.perf_counter() - start > 1800:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        for p in procs:
            p.join()
        from django.db.models import Count

        from outreach.models import Message

        # Until the worker has recorded every message (sent, or failed / cancelled): nothing left behind.
        while True:
            statuses = dict(Message.objects.filter(account_id__in=ids).values_list("status").annotate(n=Count("id")))
            if not statuses.get("queued") and not statuses.get("sending"):
                break
            if time.perf_counter() - start > 1800:
                break
            time.sleep(0.1)
        recorded = time.perf_counter() - start
        connection.close()
        count = sink_count(base)
        rate = expected / elapsed
        print(json.dumps({
            "messages": args.messages, "blocked_by_gate": blocked, "producers": args.producers,
            "worker_concurrency": 1 if args.worker_profile else args.concurrency,
            "pool": "solo (cProfile)" if args.worker_profile else args.pool, "batch": args.batch,
            "send_threads": args.send_threads, "sink_raw_client_threads": raw_threads, "queue_phase_s": round(queued_at, 2),
            "pipeline_s": round(elapsed, 2), "pipeline_msgs_per_s": round(rate, 1),
            "all_recorded_s": round(recorded, 2),
            "sink_raw_msgs_per_s": round(baseline, 1), "ratio_vs_raw_sink": round(rate / baseline, 3),
            "sink_requests": count["requests"], "sink_duplicates": count["duplicates"], "statuses": statuses,
        }, indent=2))
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        sink.terminate()


if __name__ == "__main__":
    main()
