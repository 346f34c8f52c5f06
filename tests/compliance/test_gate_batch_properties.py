"""Property test: for random batches (repeated customers, mixed channels and purposes, holds, opt-outs,
caps near the limit), contact_reserve_many decides exactly as contact_reserve called for each request in
order, on an identical copy of the data, and the audit chain verifies afterwards. Also: the bulk gate
context equals gate_context_for for every account of a varied population."""

import random
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from collections_crm.history import system_user
from compliance import services
from compliance.audit import audit_verify_chain
from compliance.choices import AttemptStatus
from compliance.models import ConsentRecord, ContactAttempt, CreditorContactPolicy, GateDecision, Hold
from compliance.selectors import gate_context_for, gate_contexts_for
from compliance.services import ReserveRequest
from tests.accounts.factories import AccountFactory, CreditorFactory, CustomerFactory

from .test_gate_setwise import _population

pytestmark = pytest.mark.django_db

# Weekday instants in 2026 around the working day in Lagos and New York, a late evening, and a Sunday.
INSTANTS = [datetime(2026, 11, 24, 11, 0, tzinfo=UTC), datetime(2026, 11, 25, 15, 30, tzinfo=UTC),
            datetime(2026, 11, 26, 20, 45, tzinfo=UTC), datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
            datetime(2026, 11, 25, 1, 0, tzinfo=UTC)]
CHANNELS = ["voice", "sms", "email", "whatsapp"]
PURPOSES = ["collection", "collection", "campaign", "transactional", "opt_out_confirmation"]
PLACES = [("NG", "", "Africa/Lagos"), ("US", "", "America/New_York"), ("US", "MA", "America/New_York"),
          ("GB", "", "Europe/London")]

customer_specs = st.fixed_dictionaries({
    "place": st.sampled_from(PLACES),
    "tight": st.booleans(),  # the creditor with a tighter voice cap (4 in 7 days)
    "email": st.booleans(),
    "consents": st.dictionaries(st.sampled_from(CHANNELS), st.sampled_from(["granted", "revoked"])),
    "hold": st.one_of(st.none(), st.tuples(st.sampled_from(["dispute", "hardship_pause", "cease_communication"]),
                                           st.booleans())),
    "closed": st.booleans(),
    # Earlier counted attempts per (account 0/1, channel, days ago): enough to sit near the caps.
    "history": st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["voice", "voice", "sms", "email"]),
                                  st.integers(0, 9), st.booleans()), max_size=9),
})
request_specs = st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0, 1, None]), st.sampled_from(CHANNELS),
                                   st.sampled_from(PURPOSES)), min_size=1, max_size=14)


def _build(specs, creditors, at):
    """One copy of the population: per spec a customer with two accounts and their records."""
    actor = system_user()
    built = []
    for spec in specs:
        country, region, tz = spec["place"]
        creditor = creditors[1] if spec["tight"] else creditors[0]
        customer = CustomerFactory(creditor=creditor, country=country, region=region, time_zone=tz,
                                   email="x@example.com" if spec["email"] else "")
        accounts = [AccountFactory(creditor=creditor, customer=customer),
                    AccountFactory(creditor=creditor, customer=customer,
                                   status="paid" if spec["closed"] else "open")]
        for channel, status in spec["consents"].items():
            ConsentRecord.objects.create(customer=customer, channel=channel, status=status, source="import",
                                         actor=actor, at=at - timedelta(days=3))
        if spec["hold"]:
            kind, on_account = spec["hold"]
            Hold.objects.create(customer=customer, account=accounts[0] if on_account else None, kind=kind,
                                starts_at=at - timedelta(days=1),
                                ends_at=at + timedelta(days=2) if kind == "hardship_pause" else None,
                                placed_by=actor)
        for acc_index, channel, days_ago, talked in spec["history"]:
            when = at - timedelta(days=days_ago, minutes=5)
            decision = GateDecision.objects.create(customer=customer, account=accounts[acc_index], channel=channel,
                                                   purpose="collection", at=when, allowed=True, reasons=["allowed"],
                                                   rule_version="t", actor=actor)
            ContactAttempt.objects.create(customer=customer, account=accounts[acc_index], channel=channel,
                                          purpose="collection", at=when, decision=decision,
                                          status=AttemptStatus.SENT, is_conversation=talked and channel == "voice")
        built.append((customer, accounts))
    return built


def _requests(built, request_list):
    out = []
    for c_index, a_index, channel, purpose in request_list:
        customer, accounts = built[c_index % len(built)]
        out.append(ReserveRequest(customer=customer, account=None if a_index is None else accounts[a_index],
                                  channel=channel, purpose=purpose))
    return out


def _answer(d):
    return (d.allowed, d.reasons, d.next_allowed_at, d.rule_version, d.zones, d.required_disclosures,
            d.attempt.status if d.allowed else None)


class _Undo(Exception):
    pass


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(specs=st.lists(customer_specs, min_size=1, max_size=4), request_list=request_specs,
       at=st.sampled_from(INSTANTS))
def test_batch_decides_as_one_at_a_time(specs, request_list, at):
    try:
        with transaction.atomic():  # each example starts from the same empty database
            creditors = [CreditorFactory(country="NG"), CreditorFactory(country="NG")]
            CreditorContactPolicy.objects.create(creditor=creditors[1], version=2, window_start=time(9),
                                                 channel_limits={"voice": [4, 7]})
            actor = system_user()
            batch_side = _requests(_build(specs, creditors, at), request_list)
            single_side = _requests(_build(specs, creditors, at), request_list)
            batch = services.contact_reserve_many(requests=batch_side, actor=actor, at=at)
            one_by_one = [services.contact_reserve(customer=r.customer, account=r.account, channel=r.channel,
                                                   purpose=r.purpose, actor=actor, at=at) for r in single_side]
            assert [_answer(d) for d in batch] == [_answer(d) for d in one_by_one]
            for d in batch:
                for reason in d.reasons:
                    event(reason)
            batch_customers = {r.customer.pk for r in batch_side}
            stored = GateDecision.objects.filter(pk__in=[d.pk for d in batch]).order_by("pk")
            assert [(d.allowed, d.reasons) for d in stored] == [(d.allowed, d.reasons) for d in batch]
            reserved = ContactAttempt.objects.filter(customer_id__in=batch_customers, status=AttemptStatus.RESERVED)
            assert reserved.count() == sum(d.allowed for d in batch)
            assert ContactAttempt.history.filter(customer_id__in=batch_customers, history_type="+",
                                                 status=AttemptStatus.RESERVED).count() == reserved.count()
            assert audit_verify_chain().ok
            raise _Undo
    except _Undo:
        pass


def test_bulk_contexts_equal_single_contexts():
    rng = random.Random(20261124)
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    accounts = _population(rng, now)
    targets = [(acc.customer, acc) for acc in accounts] + [(acc.customer, None) for acc in accounts[:10]]
    for at in (now, now + timedelta(days=3, hours=5)):
        bulk = gate_contexts_for(targets=targets, at=at)
        for (customer, account), context in zip(targets, bulk, strict=True):
            assert context == gate_context_for(customer=customer, account=account, at=at)
    # The population has something in every part of the context, or equality would prove little.
    assert any(c.history for c in bulk) and any(c.holds for c in bulk) and any(c.consents for c in bulk)
    assert any(c.account_closed for c in bulk) and any(c.tightening for c in bulk)
