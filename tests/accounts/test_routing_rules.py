"""Routing rules: each rule on its own, the order between them, and SLA times."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.routing import QueuePolicy, RoutingFacts, route

BASE = {"balance": Decimal("100.00"), "high_value_threshold": Decimal("1000.00")}


@pytest.mark.parametrize(
    "facts, queue, reason",
    [
        ({}, "automated", "automated"),
        ({"open_dispute": True}, "disputes", "dispute"),
        ({"vulnerable": True}, "vulnerable", "vulnerability"),
        ({"complaint": True}, "complaints", "complaint"),
        ({"callback_requested": True}, "callbacks", "callback"),
        ({"broken_plans": 2}, "broken_plans", "broken_plan"),
        ({"broken_plans": 1}, "automated", "automated"),
        ({"balance": Decimal("1000.00")}, "high_value", "high_value"),
        ({"balance": Decimal("999.99")}, "automated", "automated"),
        ({"review_requested": True}, "general", "requested"),
    ],
)
def test_each_rule(facts, queue, reason):
    decision = route(RoutingFacts(**{**BASE, **facts}))
    assert (decision.queue, decision.reason) == (queue, reason)


def test_dispute_outranks_everything():
    facts = RoutingFacts(
        balance=Decimal("5000"), high_value_threshold=Decimal("1000"), open_dispute=True, vulnerable=True,
        complaint=True, callback_requested=True, broken_plans=3, review_requested=True,
    )
    assert route(facts).queue == "disputes"


def test_resolved_dispute_goes_back_to_the_next_rule():
    with_dispute = RoutingFacts(balance=Decimal("5000"), high_value_threshold=Decimal("1000"), open_dispute=True)
    resolved = RoutingFacts(balance=Decimal("5000"), high_value_threshold=Decimal("1000"), open_dispute=False)
    assert route(with_dispute).queue == "disputes"
    assert route(resolved).queue == "high_value"


def test_zero_threshold_never_routes_everything_to_high_value():
    assert route(RoutingFacts(balance=Decimal("1"), high_value_threshold=Decimal("0"))).queue == "automated"


def test_sla_due_per_queue_and_policy():
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    decision = route(RoutingFacts(**BASE, callback_requested=True))
    assert decision.sla_due(now, QueuePolicy()) == now + timedelta(hours=4)
    assert route(RoutingFacts(**BASE)).sla_due(now, QueuePolicy()) is None


@given(
    balance=st.decimals(min_value=0, max_value=10**7, places=2),
    threshold=st.decimals(min_value=0, max_value=10**7, places=2),
    flags=st.fixed_dictionaries(
        {k: st.booleans() for k in ("open_dispute", "vulnerable", "complaint", "callback_requested", "review_requested")}
    ),
    broken=st.integers(min_value=0, max_value=5),
)
def test_automated_only_when_nothing_needs_a_person(balance, threshold, flags, broken):
    decision = route(RoutingFacts(balance=balance, high_value_threshold=threshold, broken_plans=broken, **flags))
    nothing = not any(flags.values()) and broken < 2 and not (threshold > 0 and balance >= threshold)
    assert (decision.queue == "automated") == nothing
    assert 1 <= decision.priority <= 5
