"""Two imports of the same file at the same moment (real threads, real PostgreSQL connections): no account
is placed twice, and the import that loses the race stops with a plain message instead of a 500."""

import io
import threading

import pytest
from django.db import connection

from accounts.models import Account, Case, Customer
from accounts.placement.services import placement_import
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_imports_of_one_file_place_each_account_once(creditor, supervisor):
    data = csv_bytes([row(customer_ref=f"C{i}", account_reference=f"A{i}") for i in range(40)])
    results, failures = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            results.append(placement_import(
                creditor=creditor, stream=io.BytesIO(data), actor=supervisor, file_name="same.csv"
            ))
        except Exception as exc:  # noqa: BLE001 — the assertion below shows what leaked
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert Account.objects.filter(creditor=creditor).count() == 40
    assert Customer.objects.filter(creditor=creditor).count() == 40 == Case.objects.count()
    assert sum(r.created for r in results) == 40
    for r in results:
        assert r.status == "done" or "another import" in r.message
    assert Account.history.filter(history_type="+").count() == 40
