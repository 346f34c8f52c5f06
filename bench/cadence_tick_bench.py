"""Cadence tick benchmark: on a PostgreSQL copy of the 1,000,000-account database with every account
enrolled (manage.py cadence_enrol), one tick selects the due steps set-wise (exits, skipped steps, the
gate's set-wise pre-filter), leases them and enqueues the send batches (ids only) on the broker.

Baseline in the same run: a plain ``SELECT count(*)`` and an id scan of the enrolment table.

The tick runs inside a transaction that is rolled back afterwards (so the copy can be reused) and its
batches go to a queue of their own that no worker reads, purged afterwards: what is timed is "select and
enqueue", the tick's job; sending is the send pipeline's benchmark.

    createdb -h 127.0.0.1 -U postgres -T collections_1m collections_cadences
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_cadences .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py cadence_enrol
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_cadences CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \\
        nice .venv/bin/python bench/cadence_tick_bench.py [--at 2026-11-24T10:00:00+00:00] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time as clock
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", help="The tick's instant (ISO 8601, aware). Default: now.")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from collections_crm.celery import app
    from collections_crm.history import system_user
    from outreach.cadences.models import CadenceEnrolment
    from outreach.cadences.selectors import due_enrolments
    from outreach.cadences.services import cadence_tick_select
    from outreach.cadences.tasks import cadence_send_batch

    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL).")
    at = datetime.fromisoformat(args.at) if args.at else timezone.now()
    actor = system_user()
    queue = f"bench-cadence-{uuid.uuid4().hex[:8]}"
    enrolled = CadenceEnrolment.objects.count()
    due = due_enrolments(at=at).count()
    print(f"enrolments: {enrolled:,}; due at {at.isoformat()}: {due:,}; broker: {app.conf.broker_url.split('@')[-1]}")

    def baseline() -> float:
        t0 = clock.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM outreach_cadenceenrolment")
            cursor.fetchone()
            cursor.execute("SELECT id FROM outreach_cadenceenrolment")
            cursor.fetchall()
        return clock.perf_counter() - t0

    def tick() -> tuple[float, dict]:
        t0 = clock.perf_counter()
        with transaction.atomic():
            result = cadence_tick_select(actor=actor, at=at)
            ids = result.dispatched
            batches = [ids[i:i + args.batch] for i in range(0, len(ids), args.batch)]
            with app.producer_or_acquire() as producer:
                for batch in batches:
                    cadence_send_batch.apply_async(args=[batch], queue=queue, producer=producer)
            elapsed = clock.perf_counter() - t0
            transaction.set_rollback(True)  # keep the copy reusable
        summary = {**result.as_dict(), "batches": len(batches)}
        return elapsed, summary

    try:
        for run in range(1, args.runs + 1):
            base = baseline()
            took, summary = tick()
            print(f"run {run}: baseline count(*)+id scan {base:.2f} s; tick select+enqueue {took:.2f} s "
                  f"({took / base:.1f}x baseline); {summary}")
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


if __name__ == "__main__":
    main()
