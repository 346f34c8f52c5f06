"""Desk page benchmark: server time of the agent's queue page, a human queue page and the case page, against
the Django admin changelist of accounts (what users would otherwise have) — in the same run, on the same
database.

    createdb -h 127.0.0.1 -U postgres -T collections_1m collections_desk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_desk .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_desk .venv/bin/python manage.py route_cases --limit 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_desk \\
        nice .venv/bin/python bench/desk_bench.py --requests 200

Requests go through Django's test client (the whole middleware, view and template stack, no network), with
DEBUG off (cached templates). Server time = wall time from request to response in process; also reported:
the request's CPU time in the Django process (``time.thread_time``) and the SQL time, because on a shared,
busy machine the wall time mostly measures waiting for a CPU. For each page: p50, p95, max, and the
number of SQL queries. The bench agent gets up to 25 cases of the routed set assigned (once; recorded with
history like any assignment) so "my queue" has a real page of work. ``--markdown`` prints table rows.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark against PostgreSQL: set DATABASE_URL=postgres://…")

    from accounts.choices import HUMAN_QUEUES
    from accounts.models import Account, AgentProfile, Case, User
    from accounts.services_assignment import case_assign

    accounts = Account.objects.count()
    human = Case.objects.filter(queue__in=HUMAN_QUEUES).exclude(status="closed")
    human_count = human.count()
    if not human_count:
        sys.exit("No cases in human queues: run manage.py route_cases first.")

    agent, _ = User.objects.get_or_create(username="bench.agent", defaults={"first_name": "Bench"})
    agent.groups.add(Group.objects.get(name="agent"))
    AgentProfile.objects.get_or_create(user=agent, defaults={
        "display_name": "Bench", "languages": ["en", "pcm", "fr", "es"],
        "skills": ["disputes", "vulnerability", "high_value", "complaints"], "capacity": 100})
    boss, _ = User.objects.get_or_create(username="bench.supervisor", defaults={"first_name": "Boss"})
    boss.groups.add(Group.objects.get(name="supervisor"))
    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"is_staff": True, "is_superuser": True})
    mine = Case.objects.filter(assignee=agent).exclude(status="closed").count()
    for case in human.filter(assignee__isnull=True, status="open").order_by("id")[: max(0, 25 - mine)]:
        case_assign(case=case, actor=boss, agent=agent)
    case_ids = list(human.order_by("?").values_list("pk", flat=True)[:200])
    busiest = human.order_by("-version").values_list("pk", flat=True).first()

    agent_client, admin_client = Client(), Client()
    agent_client.force_login(agent)
    admin_client.force_login(admin)
    rng = random.Random(7)
    pages = [
        ("Desk: my queue (/desk/)", agent_client, lambda: "/desk/"),
        ("Desk: high-value queue, all agents", agent_client, lambda: "/desk/?scope=all&queue=high_value"),
        ("Desk: case page (random routed case)", agent_client, lambda: f"/desk/case/{rng.choice(case_ids)}/"),
        ("Desk: case page (most-changed case)", agent_client, lambda: f"/desk/case/{busiest}/"),
        ("Baseline: admin changelist of accounts", admin_client, lambda: "/admin/accounts/account/"),
    ]
    results = []
    for label, client, url in pages:
        for _ in range(args.warmup):
            client.get(url())
        times, cpu, sql, queries = [], [], [], []
        for _ in range(args.requests):
            path = url()
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started, started_cpu = time.perf_counter(), time.thread_time()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                cpu.append((time.thread_time() - started_cpu) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            times.append(elapsed)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            queries.append(len(ctx.captured_queries))
        results.append((label, pct(times, 50), pct(times, 95), max(times), max(queries), pct(cpu, 95), pct(sql, 95)))

    baseline_p95 = results[-1][2]
    print(f"{accounts:,} accounts, {human_count:,} open cases in human queues, {args.requests} requests per page")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, p50, p95, worst, q, cpu95, sql95 in results:
        print(f"{label:45s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms  queries {q:3d}"
              f"  CPU p95 {cpu95:6.1f} ms  SQL p95 {sql95:6.1f} ms  p95 vs baseline {p95 / baseline_p95:5.2f}x")
    if args.markdown:
        print("\n| page | p50 ms | p95 ms | Django CPU p95 ms | SQL p95 ms | queries | p95 ÷ admin changelist p95 |"
              "\n|---|---|---|---|---|---|---|")
        for label, p50, p95, _worst, q, cpu95, sql95 in results:
            print(f"| {label} | {p50:.1f} | {p95:.1f} | {cpu95:.1f} | {sql95:.1f} | {q} | {p95 / baseline_p95:.2f} |")


if __name__ == "__main__":
    main()
