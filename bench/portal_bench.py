"""Customer portal benchmark: overview, pay and plan pages at 50 concurrent clients on gunicorn
(2 workers) over loopback, against PostgreSQL.

    createdb -h 127.0.0.1 -U postgres collections_portal_bench
    nice .venv/bin/python bench/portal_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/collections_portal_bench --clients 50 --requests 1500

Each client has its own verified portal session on its own account (opened through the services, as a
pay link would). Per page, N GETs are spread over the clients; the portal answers with a
``Server-Timing: app;dur=…`` header (time inside the portal view: session, queries, template), and the
client measures the full round trip. Baseline in the same run: the same number of GETs of a static
page (``/payments/healthz/``, a constant response through the same middleware stack) on the same
gunicorn. Target: p95 server time ≤ 100 ms on every portal page."""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
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
PAGES = {"overview": "/p/", "pay": "/p/pay/", "plan": "/p/plan/"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=60):
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


def make_sessions(n: int, run: str) -> list[str]:
    """n accounts, each with a verified portal session; returns the Django session cookies."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Account, Case, Creditor, Customer
    from portal import services
    from portal.selectors import SESSION_KEY

    creditor = Creditor.objects.create(
        slug=f"portal-bench-{run}", name="Bench Power Ltd", display_name="Bench Power", country="NG", currency="NGN",
        default_phone_region="NG", high_value_threshold=Decimal("1e9"), min_instalment_amount=Decimal("1000"),
        brand_primary="#0b6e4f", brand_accent="#f2c14e")
    customers = Customer.objects.bulk_create([
        Customer(creditor=creditor, external_ref=f"PB{i}", first_name="Ada", last_name=f"B{i}",
                 phone=f"+23481{i:08d}", date_of_birth="1990-01-01", postal_code="100001", time_zone="Africa/Lagos",
                 country="NG")
        for i in range(n)
    ])
    accounts = Account.objects.bulk_create([
        Account(creditor=creditor, customer=c, reference=f"PB{run[-4:]}{i:05d}", currency="NGN", product="Electricity",
                principal=Decimal("60000.00"), placed_amount=Decimal("60000.00"), balance=Decimal("60000.00"),
                due_date="2026-09-01", delinquency_bucket="61-90")
        for i, c in enumerate(customers)
    ])
    Case.objects.bulk_create([Case(account=a, creditor=creditor) for a in accounts])
    cookies = []
    for account in accounts:
        ps = services.portal_session_open(account=account)
        services.portal_verify(session=ps, ip="127.0.0.1", method="dob", date_of_birth=account.customer.date_of_birth,
                               reference_last4=account.reference[-4:])
        store = SessionStore()
        store[SESSION_KEY] = ps.pk
        store.create()
        cookies.append(store.session_key)
    assert settings.SESSION_COOKIE_NAME
    return cookies


def hammer(base: str, path: str, cookies: list[str], count: int, clients: int):
    from django.conf import settings

    local = threading.local()

    def one(i):
        if not hasattr(local, "s"):
            local.s = requests.Session()
        cookie = cookies[i % len(cookies)]
        started = time.perf_counter()
        r = local.s.get(base + path, cookies={settings.SESSION_COOKIE_NAME: cookie}, timeout=60,
                        allow_redirects=False)
        wall = (time.perf_counter() - started) * 1000
        timing = r.headers.get("Server-Timing", "")
        server = float(timing.split("dur=")[1]) if "dur=" in timing else None
        return r.status_code, wall, server

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, range(count), chunksize=4))
    return time.perf_counter() - started, results


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def summary(elapsed, results):
    walls = [w for _s, w, _t in results]
    servers = [t for _s, _w, t in results if t is not None]
    return {
        "requests": len(results), "errors": sum(1 for s, _w, _t in results if s != 200),
        "rps": round(len(results) / elapsed, 1),
        "client_p50_ms": pct(walls, 0.5), "client_p95_ms": pct(walls, 0.95),
        "server_p50_ms": pct(servers, 0.5), "server_p95_ms": pct(servers, 0.95),
        "server_mean_ms": round(statistics.fmean(servers), 1) if servers else None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=1500, help="GETs per page")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    run = f"{int(time.time())}"
    env = {
        "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "collections_crm.settings.local",
        "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600", "CELERY_BROKER_URL": "memory://",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cookies = make_sessions(args.clients, run)

    port = free_port()
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "collections_crm.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--keep-alive", "30", "--backlog", "256"], cwd=ROOT, env={**os.environ, **env})
    report = {"clients": args.clients, "gunicorn_workers": args.workers, "requests_per_page": args.requests}
    try:
        wait_port(port, gunicorn)
        base = f"http://127.0.0.1:{port}"
        for path in ["/payments/healthz/", *PAGES.values()]:  # warm-up: imports, caches, connections
            hammer(base, path, cookies, 2 * args.clients, args.clients)
        report["baseline_static"] = summary(*hammer(base, "/payments/healthz/", cookies, args.requests, args.clients))
        for name, path in PAGES.items():
            report[name] = summary(*hammer(base, path, cookies, args.requests, args.clients))
    finally:
        gunicorn.terminate()
        gunicorn.wait(20)
    base_p95 = report["baseline_static"]["client_p95_ms"]
    for name in PAGES:
        page = report[name]
        page["client_p95_vs_static"] = round(page["client_p95_ms"] / base_p95, 2) if base_p95 else None
        page["target_server_p95_le_100ms"] = bool(page["server_p95_ms"] is not None and page["server_p95_ms"] <= 100)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
