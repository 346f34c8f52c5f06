"""On PostgreSQL the database refuses UPDATE and DELETE on the audit log, whoever asks."""

import pytest
from django.db import DatabaseError, connection, transaction

from compliance.audit import audit_record, audit_verify_chain
from compliance.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_update_is_refused(account, agent):
    audit_record(actor=agent, action="hold.placed", obj=account, payload={"kind": "dispute"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="hold.released")
    assert AuditEvent.objects.get(seq=1).action == "hold.placed"


def test_delete_is_refused_even_in_raw_sql(account, agent):
    audit_record(actor=agent, action="hold.placed", obj=account)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM compliance_auditevent")
    assert AuditEvent.objects.count() == 1
    assert audit_verify_chain().ok


def test_instance_save_after_write_is_refused(account, agent):
    event = audit_record(actor=agent, action="consent.granted", obj=account)
    event.payload = {"tampered": True}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain(account, agent):
    """Real threads, real connections: the advisory lock serialises appends, so no seq is taken twice."""
    import threading

    from django.db import close_old_connections

    errors = []

    def worker(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=agent, action="gate.decision", obj=account, payload={"w": n, "i": i})
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == 40
    report = audit_verify_chain()
    assert report.ok and report.checked == 40
