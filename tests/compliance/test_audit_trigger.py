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
