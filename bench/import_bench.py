"""Placement import benchmark: the project's import (full validation, customers + accounts + cases + history)
against PostgreSQL COPY of the same file into a plain text table, in one run on the same database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collections_h1 \
        nice .venv/bin/python bench/import_bench.py --rows 200000

Migrates the database, writes an N-row file (accounts.placement.sample), imports it for a fresh creditor
(all rows new), imports it again (all rows unchanged: the idempotent path), then COPYs it. Prints rows/s
and the ratios; ``--markdown`` prints a table row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_crm.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--file", help="Reuse this placement file instead of generating one.")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--workers", type=int, default=0, help="Validation processes beside the writer.")
    parser.add_argument("--no-reimport", action="store_true", help="Skip the second (all unchanged) import.")
    parser.add_argument("--validate-only", action="store_true",
                        help="Time read_placements alone (CSV → validated rows, no database), one process.")
    args = parser.parse_args()

    import django

    django.setup()
    if args.validate_only:
        validate_only(args)
        return
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark against PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)

    from accounts.models import Creditor
    from accounts.placement.rows import COLUMNS
    from accounts.placement.sample import write_sample_file
    from accounts.placement.services import placement_import
    from collections_crm.history import system_user

    if args.file:
        path = Path(args.file)
    else:
        path = Path(tempfile.gettempdir()) / f"placement-bench-{args.rows}.csv"
        started = time.perf_counter()
        write_sample_file(path, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    size_mb = path.stat().st_size / 1e6

    slug = f"bench-{int(time.time())}"
    creditor = Creditor.objects.create(
        slug=slug, name="Bench", display_name="Bench", country="NG", currency="NGN", default_phone_region="NG",
        high_value_threshold=500000,
    )
    actor = system_user()

    def server_cpu() -> float | None:
        """CPU seconds of this connection's PostgreSQL backend (a local server only: /proc)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    cpu: dict[str, tuple[float, float | None]] = {}

    def timed_import(label: str) -> tuple[float, object]:
        server, python, started = server_cpu(), time.process_time(), time.perf_counter()
        with path.open("rb") as stream:
            result = placement_import(
                creditor=creditor, stream=stream, actor=actor, file_name=path.name, workers=args.workers
            )
        elapsed = time.perf_counter() - started
        after = server_cpu()
        cpu[label] = (time.process_time() - python, None if server is None or after is None else after - server)
        return elapsed, result

    import_s, first = timed_import("import")
    assert first.status == "done", first.message
    if args.no_reimport:
        reimport_s = float("nan")
    else:
        reimport_s, second = timed_import("re-import")
        assert second.created == 0, second.created

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_placement_copy")
        cursor.execute(
            "CREATE TABLE bench_placement_copy (" + ", ".join(f"{c} text" for c in COLUMNS) + ")"
        )
    connection.commit() if not connection.get_autocommit() else None
    started = time.perf_counter()
    with connection.cursor() as cursor, path.open("rb") as stream:
        with cursor.cursor.copy("COPY bench_placement_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while block := stream.read(1 << 20):
                copy.write(block)
    copy_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_placement_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_placement_copy")

    rows = first.rows_total
    import_rate, reimport_rate, copy_rate = rows / import_s, rows / reimport_s, copied / copy_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"validation workers: {args.workers}; load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"file: {rows:,} rows, {size_mb:.1f} MB; creditor {slug}; peak RSS {peak_mb:.0f} MB")
    print(f"import (all new):       {import_s:8.1f} s  {import_rate:10,.0f} rows/s  "
          f"(created {first.created:,}, rejected {first.rejected:,})")
    print(f"re-import (unchanged):  {reimport_s:8.1f} s  {reimport_rate:10,.0f} rows/s")
    print(f"COPY into plain table:  {copy_s:8.1f} s  {copy_rate:10,.0f} rows/s")
    for label, (python, server) in cpu.items():
        # CPU seconds, less sensitive than wall time to other work on a shared machine: on an idle 2-core
        # machine the import's wall time approaches the larger of the two (validation overlaps the writes).
        server_text = "n/a (server not local)" if server is None else f"{server:.1f} s ({rows / server:,.0f} rows/s)"
        print(f"{label} CPU: Python {python:.1f} s ({rows / python:,.0f} rows/s), PostgreSQL backend {server_text}")
    print(f"ratio COPY/import: {copy_rate / import_rate:.1f}x   COPY/re-import: {copy_rate / reimport_rate:.1f}x")
    if args.markdown:
        print(f"| {rows:,} | {import_rate:,.0f} | {reimport_rate:,.0f} | {copy_rate:,.0f} | "
              f"{copy_rate / import_rate:.1f}x | {peak_mb:.0f} MB |")


def validate_only(args) -> None:
    """Pure validation speed: every row read and validated as the import does, nothing written."""
    from datetime import date

    from accounts.placement.reader import StreamStats, read_placements
    from accounts.placement.rows import PlacedRow, RowContext
    from accounts.placement.sample import write_sample_file

    path = Path(args.file) if args.file else Path(tempfile.gettempdir()) / f"placement-bench-{args.rows}.csv"
    if not args.file and not path.exists():
        write_sample_file(path, args.rows)
    ctx = RowContext(currency="NGN", phone_region="NG", language="en", today=date.today())
    started, cpu = time.perf_counter(), time.process_time()
    valid = rows = 0
    with path.open("rb") as stream:
        for item in read_placements(stream, ctx, StreamStats()):
            rows += 1
            valid += isinstance(item, PlacedRow)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"validate only: {rows:,} rows ({valid:,} valid) in {wall:.1f} s: {rows / wall:,.0f} rows/s "
          f"(CPU {cpu:.1f} s: {rows / cpu:,.0f} rows/s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
