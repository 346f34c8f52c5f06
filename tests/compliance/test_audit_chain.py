"""The audit chain: appends link by hash; any edit or deletion is found at the right event."""

import pytest

from compliance.audit import audit_record, audit_verify_chain
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def _three_events(account, agent):
    for action in ("consent.granted", "gate.decision", "payment.recorded"):
        audit_record(actor=agent, action=action, obj=account, payload={"amount": "12.50", "action": action})


def test_events_link_and_carry_refs(account, agent):
    _three_events(account, agent)
    events = list(AuditEvent.objects.all())
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[0].account_id == account.pk and events[0].customer_id == account.customer_id
    assert events[0].creditor_id == account.creditor_id
    assert audit_verify_chain().ok


def test_edit_is_detected(account, agent):
    _three_events(account, agent)
    AuditEvent.objects.filter(seq=2).update(payload={"amount": "1.00"})
    report = audit_verify_chain()
    assert not report.ok and report.first_broken_seq == 2


def test_deletion_is_detected(account, agent):
    _three_events(account, agent)
    AuditEvent.objects.filter(seq=2).delete()
    report = audit_verify_chain()
    assert not report.ok and report.first_broken_seq == 2


def test_rollback_drops_the_event(account, agent):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=agent, action="hold.placed", obj=account)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()
