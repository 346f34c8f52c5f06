"""The audit chain: appends link by hash; any edit or deletion is found at the right event."""

import pytest

from compliance.audit import audit_record, audit_verify_chain
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def _tamper(run):
    """Rewrite the chain behind the application's back. On PostgreSQL the append-only trigger must be
    disabled first (as a database owner could); the hash chain must still catch it."""
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE compliance_auditevent DISABLE TRIGGER compliance_auditevent_no_update_delete")
        run()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE compliance_auditevent ENABLE TRIGGER compliance_auditevent_no_update_delete")


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
    _tamper(lambda: AuditEvent.objects.filter(seq=2).update(payload={"amount": "1.00"}))
    report = audit_verify_chain()
    assert not report.ok and report.first_broken_seq == 2


def test_deletion_is_detected(account, agent):
    _three_events(account, agent)
    _tamper(lambda: AuditEvent.objects.filter(seq=2).delete())
    report = audit_verify_chain()
    assert not report.ok and report.first_broken_seq == 2


def test_rollback_drops_the_event(account, agent):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=agent, action="hold.placed", obj=account)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


def test_verify_in_small_batches(account, agent):
    _three_events(account, agent)
    report = audit_verify_chain(batch_size=2)
    assert report.ok and report.checked == 3


def test_progress_callback_counts_every_event(account, agent):
    _three_events(account, agent)
    seen = []
    report = audit_verify_chain(batch_size=2, on_progress=seen.append)
    assert report.ok and sum(seen) == 3


def test_payload_with_object_named_by_type_and_id(agent):
    event = audit_record(actor=agent, action="admin.delete", object_type="accounts.customer", object_id=42)
    assert (event.object_type, event.object_id) == ("accounts.customer", "42")
    assert audit_verify_chain().ok


def test_deferred_appends_are_chained_at_the_end_of_the_block_in_their_order(account, agent):
    from django.db import transaction

    from compliance.audit import audit_appends_deferred, audit_record_many

    audit_record(actor=agent, action="before", obj=account)
    with transaction.atomic():
        with audit_appends_deferred():
            first = audit_record(actor=agent, action="one", obj=account)
            with audit_appends_deferred():  # a nested block joins the outer one
                audit_record_many(actor=agent, entries=[{"action": "two", "obj": account},
                                                        {"action": "three", "obj": account}])
            assert first.seq is None and AuditEvent.objects.count() == 1  # nothing written yet
        assert first.seq == 2
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(1, "before"), (2, "one"), (3, "two"),
                                                                       (4, "three")]
    assert audit_verify_chain().ok


def test_deferred_appends_are_dropped_with_a_failed_block(account, agent):
    from django.db import transaction

    from compliance.audit import audit_appends_deferred

    with pytest.raises(ValueError), transaction.atomic(), audit_appends_deferred():
        audit_record(actor=agent, action="lost", obj=account)
        raise ValueError("the batch failed")
    assert not AuditEvent.objects.exists()
    audit_record(actor=agent, action="after", obj=account)  # appends go straight to the chain again
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(1, "after")]
