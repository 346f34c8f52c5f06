"""Benchmark the audit chain: appending with audit_record, verifying with audit_verify_chain, and building
an evidence pack, each as a ratio against a baseline measured in the same run.

    nice .venv/bin/python bench/audit_chain.py --events 20000

Runs against a throwaway SQLite file (the baseline rows are deleted again, which the PostgreSQL trigger
would rightly refuse).
Baselines: appending = plain AuditEvent INSERTs of the same rows without hashing/locking; verifying = plain
iteration over the same rows without hashing; evidence pack = reading the account's audit events once.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-audit-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "collections_crm.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from compliance.audit import GENESIS_HASH, audit_record, audit_verify_chain
    from compliance.evidence_pack import evidence_pack_build
    from compliance.models import AuditEvent
    from tests.accounts.factories import AccountFactory, CaseFactory, UserFactory

    actor = UserFactory(username="bench.sup")
    account = AccountFactory()
    CaseFactory(account=account)
    n = args.events

    # Baseline append: the same rows as plain INSERTs without hashing or chain lookup; deleted afterwards.
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            AuditEvent.objects.create(seq=-(i + 1), at=timezone.now(), action="bench.baseline",
                                      payload={"i": i}, prev_hash=GENESIS_HASH, hash=f"b{i:063d}")
    base_append = time.perf_counter() - start
    AuditEvent.objects.filter(action="bench.baseline").delete()

    start = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=actor, action="payment.recorded", obj=account, payload={"i": i, "amount": "10.00"})
    chain_append = time.perf_counter() - start

    start = time.perf_counter()
    count = sum(1 for _ in AuditEvent.objects.filter(seq__gt=0).order_by("seq").iterator(chunk_size=5000))
    base_verify = time.perf_counter() - start
    start = time.perf_counter()
    report = audit_verify_chain()
    verify = time.perf_counter() - start
    assert report.ok and report.checked == count, report

    start = time.perf_counter()
    list(AuditEvent.objects.filter(account_id=account.pk).values())
    base_pack = time.perf_counter() - start
    start = time.perf_counter()
    data = evidence_pack_build(account=account, actor=actor)
    pack = time.perf_counter() - start

    print(f"events: {n} on {connection.vendor}")
    print(f"append   baseline {base_append:.2f}s  audit_record {chain_append:.2f}s  "
          f"ratio {chain_append / base_append:.2f}x  ({n / chain_append:.0f} events/s)")
    print(f"verify   baseline {base_verify:.2f}s  audit_verify_chain {verify:.2f}s  "
          f"ratio {verify / base_verify:.2f}x  ({count / verify:.0f} events/s)")
    print(f"evidence baseline {base_pack:.2f}s  evidence_pack_build {pack:.2f}s  "
          f"ratio {pack / base_pack:.2f}x  (ZIP {len(data) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
