"""Batch forms of the gate services: contact_reserve_many, contact_send_guard_many,
contact_attempt_complete_many and audit_record_many agree with their one-at-a-time forms."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collections_crm.errors import ApplicationError
from compliance import services
from compliance.audit import audit_record_many, audit_verify_chain
from compliance.choices import AttemptStatus
from compliance.models import AuditEvent, ConsentRecord, ContactAttempt
from compliance.services import ContactBlocked, ReserveRequest
from tests.accounts.factories import AccountFactory, CustomerFactory
from tests.compliance.gate_helpers import LAGOS_NOON

pytestmark = pytest.mark.django_db



def _system():
    from collections_crm.history import system_user

    return system_user()


@pytest.fixture
def ng_accounts(creditor):
    accounts = []
    for _ in range(3):
        customer = CustomerFactory(creditor=creditor, time_zone="Africa/Lagos", country="NG")
        services.consent_grant(customer=customer, channel="sms", source="import", actor=_system())
        accounts.append(AccountFactory(creditor=creditor, customer=customer))
    return accounts


def test_reserve_many_decides_in_order_and_sees_earlier_reservations(ng_accounts, agent):
    a, b, c = ng_accounts
    requests = [ReserveRequest(customer=a.customer, account=a, channel="voice") for _ in range(8)]
    requests += [ReserveRequest(customer=b.customer, account=b, channel="whatsapp"),
                 ReserveRequest(customer=c.customer, account=c, channel="sms")]
    decisions = services.contact_reserve_many(requests=requests, actor=agent, at=LAGOS_NOON)
    assert [d.allowed for d in decisions] == [True] * 7 + [False, False, True]
    assert decisions[7].reasons == ["frequency_cap"] and decisions[7].next_allowed_at is not None
    assert decisions[8].reasons == ["no_consent"]
    assert all(d.attempt.status == AttemptStatus.RESERVED for d in decisions if d.allowed)
    assert ContactAttempt.objects.count() == 8
    assert ContactAttempt.history.filter(history_type="+").count() == 8
    actions = list(AuditEvent.objects.filter(action__in=["gate.decision", "contact.reserved"])
                   .values_list("action", flat=True))
    assert actions.count("gate.decision") == 10 and actions.count("contact.reserved") == 8
    assert audit_verify_chain().ok


def test_guard_many_and_complete_many(ng_accounts, agent):
    a, b, c = ng_accounts
    decisions = services.contact_reserve_many(requests=[
        ReserveRequest(customer=a.customer, account=a, channel="sms"),
        ReserveRequest(customer=b.customer, account=b, channel="sms"),
        ReserveRequest(customer=b.customer, account=b, channel="voice"),
        ReserveRequest(customer=c.customer, account=c, channel="sms"),
    ], actor=agent, at=LAGOS_NOON)
    attempts = [d.attempt for d in decisions]
    # b opts out of SMS after the reservation: its SMS attempt is cancelled, its call may still go.
    services.consent_revoke(customer=b.customer, channel="sms", source="agent", actor=agent)
    # A revocation recorded without the cancel (e.g. a record written by another path) is still honoured.
    ConsentRecord.objects.create(customer=c.customer, channel="sms", status="revoked", source="agent", actor=agent,
                                 at=LAGOS_NOON + timedelta(minutes=1))
    verdicts = services.contact_send_guard_many(attempts=attempts)
    assert set(verdicts) == {att.pk for att in attempts}
    assert verdicts[attempts[0].pk] is None and verdicts[attempts[2].pk] is None
    assert isinstance(verdicts[attempts[1].pk], ContactBlocked)
    assert verdicts[attempts[1].pk].extra == {"attempt": attempts[1].pk}
    assert isinstance(verdicts[attempts[3].pk], ContactBlocked)
    assert verdicts[attempts[3].pk].extra == {"reason": "opted_out"}
    for attempt in attempts:  # the same verdicts as one at a time
        try:
            services.contact_send_guard(attempt=attempt)
        except ContactBlocked as exc:
            assert verdicts[attempt.pk].extra == exc.extra
        else:
            assert verdicts[attempt.pk] is None
    services.contact_attempt_complete_many(attempts=[attempts[0], attempts[2]], outcome="sent", actor=agent)
    services.contact_attempt_complete_many(attempts=[attempts[3]], outcome="opted out", actor=agent, sent=False)
    statuses = dict(ContactAttempt.objects.values_list("pk", "status"))
    assert statuses == {attempts[0].pk: "sent", attempts[1].pk: "cancelled", attempts[2].pk: "sent",
                        attempts[3].pk: "failed"}
    assert ContactAttempt.history.filter(history_type="~", status__in=["sent", "failed"]).count() == 3
    completed = AuditEvent.objects.filter(action="contact.completed").order_by("seq")
    assert [(e.object_id, e.payload["status"]) for e in completed] == [
        (str(attempts[0].pk), "sent"), (str(attempts[2].pk), "sent"), (str(attempts[3].pk), "failed")]
    # Completed attempts may not be sent again, nor completed again.
    verdicts = services.contact_send_guard_many(attempts=attempts)
    assert all(isinstance(v, ContactBlocked) for v in verdicts.values())
    with pytest.raises(ApplicationError):
        services.contact_attempt_complete_many(attempts=[attempts[0]], outcome="sent", actor=agent)
    assert audit_verify_chain().ok


def test_audit_record_many_matches_the_chain(ng_accounts, agent):
    a = ng_accounts[0]
    events = audit_record_many(actor=agent, entries=[
        {"action": "test.one", "obj": a, "payload": {"n": 1}},
        {"action": "test.two", "customer": a.customer, "payload": {"n": 2}},
        {"action": "test.three", "object_type": "x.y", "object_id": 7},
    ])
    assert [e.action for e in events] == ["test.one", "test.two", "test.three"]
    assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
    assert events[0].account_id == a.pk and events[0].customer_id == a.customer_id
    assert events[1].customer_id == a.customer_id and events[2].object_id == "7"
    assert audit_verify_chain().ok


def _customers(creditor, n):
    out = []
    for _ in range(n):
        customer = CustomerFactory(creditor=creditor, time_zone="Africa/Lagos", country="NG")
        services.consent_grant(customer=customer, channel="sms", source="import", actor=_system())
        out.append(AccountFactory(creditor=creditor, customer=customer))
    return out


def _mixed_requests(accounts):
    requests = []
    for i, acc in enumerate(accounts):
        requests.append(ReserveRequest(customer=acc.customer, account=acc, channel="sms"))
        requests.append(ReserveRequest(customer=acc.customer, account=acc, channel=("voice", "whatsapp")[i % 2]))
    return requests


def test_reserve_many_query_count_does_not_grow_with_the_batch(creditor, agent):
    # 15 customers: SQLite (not PostgreSQL) splits an insert past 999 parameters, ~70 audit events here.
    small, large = _customers(creditor, 2), _customers(creditor, 15)
    counts = []
    for accounts in (small, large):
        with CaptureQueriesContext(connection) as captured:
            decisions = services.contact_reserve_many(requests=_mixed_requests(accounts), actor=agent,
                                                      at=LAGOS_NOON)
        assert any(d.allowed for d in decisions) and not all(d.allowed for d in decisions)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 16, (counts, [q["sql"][:70] for q in captured])
    attempts = list(ContactAttempt.objects.filter(customer__in=[a.customer for a in large]))
    with CaptureQueriesContext(connection) as captured:
        services.contact_send_guard_many(attempts=attempts)
    assert len(captured) <= 2
    with CaptureQueriesContext(connection) as captured:
        services.contact_attempt_complete_many(attempts=attempts, outcome="sent", actor=agent)
    assert len(captured) <= 10, [q["sql"][:80] for q in captured]
    assert audit_verify_chain().ok


def test_batches_with_nothing_in_them_do_nothing(agent, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # two services' savepoints and their releases; nothing else
        assert services.contact_reserve_many(requests=[], actor=agent) == []
        assert services.contact_send_guard_many(attempts=[]) == {}
        services.contact_attempt_complete_many(attempts=[], outcome="sent", actor=agent)
        assert audit_record_many(actor=agent, entries=[]) == []
