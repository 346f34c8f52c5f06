"""Routing with the database: each rule from real facts, re-routing when a fact changes (disputes,
payments, broken plans, callbacks, complaints, reviews, vulnerability), history and audit only on change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import CaseStatus
from accounts.models import Case
from accounts.services_routing import (
    callback_request_complete,
    callback_request_create,
    case_clear_complaint,
    case_flag_complaint,
    case_reroute,
    case_review_clear,
    case_review_request,
    customer_vulnerability_set,
    routing_policy_set,
)
from collections_crm.history import system_user
from compliance.models import AuditEvent
from compliance.services import dispute_open, dispute_resolve
from payments.services import plan_accept, plan_break, plan_create
from tests.accounts.factories import AccountFactory, CaseFactory, CustomerFactory, UserFactory

from ..payments.factories import post_event, succeeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(account):
    return account.case


def _routed_events(case):
    return AuditEvent.objects.filter(action="case.routed", object_id=str(case.pk))


def test_nothing_needs_a_person_stays_automated_and_writes_nothing(case, agent):
    history_before = case.history.count()
    case = case_reroute(case=case, actor=agent, reason="check")
    assert (case.queue, case.routing_reason) == ("automated", "automated")
    assert case.history.count() == history_before
    assert not _routed_events(case).exists()


def test_open_dispute_routes_to_disputes_and_resolving_it_routes_back(case, agent):
    dispute = dispute_open(account=case.account, reason="wrong_amount", actor=agent)
    case.refresh_from_db()
    assert (case.queue, case.routing_reason, case.priority) == ("disputes", "dispute", 1)
    assert case.sla_due_at is not None
    dispute_resolve(dispute=dispute, outcome="verified", note="Statement checked", actor=agent)
    case.refresh_from_db()
    assert case.queue == "automated" and case.sla_due_at is None
    events = list(_routed_events(case).order_by("seq").values_list("payload", flat=True))
    assert [(e["from_queue"], e["to_queue"]) for e in events] == [("automated", "disputes"), ("disputes", "automated")]
    last = case.history.first()
    assert last.history_user == agent and last.history_change_reason.startswith("Routed: dispute verified")


def test_resolved_dispute_on_a_high_value_account_goes_to_high_value(creditor, agent):
    account = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor),
                             principal=Decimal("600000.00"))
    case = CaseFactory(account=account)
    dispute = dispute_open(account=account, reason="not_mine", actor=agent)
    case.refresh_from_db()
    assert case.queue == "disputes"
    dispute_resolve(dispute=dispute, outcome="verified", note="Signed contract on file", actor=agent)
    case.refresh_from_db()
    assert (case.queue, case.routing_reason) == ("high_value", "high_value")


def test_high_value_threshold_from_the_routing_policy_overrides_the_creditor(case, supervisor):
    assert case.account.balance == Decimal("42000.00")
    routing_policy_set(creditor=case.creditor, actor=supervisor, high_value_threshold=Decimal("40000.00"))
    case.refresh_from_db()
    assert case.queue == "high_value"
    routing_policy_set(creditor=case.creditor, actor=supervisor, high_value_threshold=None)
    case.refresh_from_db()
    assert case.queue == "automated"


def test_switched_off_queue_falls_through_but_disputes_cannot_be_switched_off(case, supervisor, agent):
    routing_policy_set(creditor=case.creditor, actor=supervisor, disabled_queues=["callbacks"])
    callback_request_create(case=case, source="portal", actor=agent)
    case.refresh_from_db()
    assert case.queue == "automated"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        routing_policy_set(creditor=case.creditor, actor=supervisor, disabled_queues=["disputes"])


def test_vulnerability_flag_routes_every_case_of_the_customer(creditor, agent):
    customer = CustomerFactory(creditor=creditor)
    cases = [CaseFactory(account=AccountFactory(creditor=creditor, customer=customer)) for _ in range(2)]
    customer_vulnerability_set(customer=customer, flags=["health"], note="Recovering from surgery", actor=agent)
    assert {c.queue for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {"vulnerable"}
    event = AuditEvent.objects.get(action="customer.vulnerability_set")
    assert "surgery" not in str(event.payload)  # personal data stays out of the chain
    customer_vulnerability_set(customer=customer, flags=[], actor=agent)
    assert {c.queue for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {"automated"}


def test_callback_request_routes_and_completing_it_routes_back(case, agent):
    request = callback_request_create(case=case, preferred_at=timezone.now() + timedelta(hours=2), channel="voice",
                                      note="After work please", source="portal", actor=agent)
    case.refresh_from_db()
    assert (case.queue, case.routing_reason, case.priority) == ("callbacks", "callback", 2)
    assert case.sla_due_at is not None
    again = callback_request_create(case=case, source="portal", actor=agent)
    assert again.pk == request.pk  # a double click does not make two requests
    callback_request_complete(request=request, actor=agent, outcome_note="Spoke, all fine")
    case.refresh_from_db()
    assert case.queue == "automated"


def test_complaint_and_review_flags(case, agent):
    case_flag_complaint(case=case, actor=agent, note="Upset on the phone")
    case.refresh_from_db()
    assert case.queue == "complaints"
    case_clear_complaint(case=case, actor=agent)
    case_review_request(case=case, actor=agent, note="Please look")
    case.refresh_from_db()
    assert (case.queue, case.routing_reason) == ("general", "requested")
    case_review_clear(case=case, actor=agent)
    case.refresh_from_db()
    assert case.queue == "automated"


def test_leaving_the_human_queues_clears_the_assignee_staying_keeps_it(case, agent):
    dispute = dispute_open(account=case.account, reason="wrong_amount", actor=agent)
    case.refresh_from_db()
    case.assignee = agent
    case.save()
    sla = case.sla_due_at
    case_flag_complaint(case=case, actor=agent)  # dispute still outranks: same queue
    case.refresh_from_db()
    assert case.assignee == agent and case.sla_due_at == sla
    case_clear_complaint(case=case, actor=agent)
    dispute_resolve(dispute=dispute, outcome="withdrawn", note="Customer withdrew", actor=agent)
    case.refresh_from_db()
    assert case.queue == "automated" and case.assignee is None


def test_two_broken_plans_route_to_broken_plans(case, agent):
    actor = system_user()
    for n in range(2):
        plan = plan_create(actor=agent, account=case.account, frequency="monthly", count=3,
                           start=timezone.localdate() + timedelta(days=3))
        plan_accept(actor=agent, plan=plan, channel="phone")
        plan_break(actor=actor, plan=plan, reason="Instalment 1 missed")
        case.refresh_from_db()
        assert case.queue == ("automated" if n == 0 else "broken_plans")
    assert case.routing_reason == "broken_plan"


def test_payment_in_full_closes_the_case_and_frees_the_agent(client, case, agent):
    dispute = dispute_open(account=case.account, reason="wrong_amount", actor=agent)
    dispute_resolve(dispute=dispute, outcome="verified", note="ok", actor=agent)
    case_review_request(case=case, actor=agent)
    case.refresh_from_db()
    case.assignee = agent
    case.save()
    post_event(client, succeeded(case.account, Decimal("42000.00")))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert case.queue == "automated" and case.assignee is None
    assert _routed_events(case).filter(payload__to_queue="automated").exists()


def test_part_payment_below_threshold_moves_a_high_value_case_back(creditor, client):
    account = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor),
                             principal=Decimal("600000.00"))
    case = CaseFactory(account=account)
    case_reroute(case=case, actor=UserFactory(), reason="placed")
    case.refresh_from_db()
    assert case.queue == "high_value"
    post_event(client, succeeded(account, Decimal("200000.00")))
    case.refresh_from_db()
    assert case.queue == "automated" and case.status == CaseStatus.OPEN


def test_version_goes_up_on_every_routed_change(case, agent):
    v0 = case.version
    case_flag_complaint(case=case, actor=agent)
    case.refresh_from_db()
    assert case.version > v0


def test_route_cases_command_routes_only_what_needs_a_person(creditor, agent):
    from django.core.management import call_command

    high = AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor), principal=Decimal("700000"))
    CaseFactory(account=high)
    vulnerable = CustomerFactory(creditor=creditor, vulnerability_flags=["health"])
    CaseFactory(account=AccountFactory(creditor=creditor, customer=vulnerable))
    plain = CaseFactory(account=AccountFactory(creditor=creditor, customer=CustomerFactory(creditor=creditor)))
    from accounts.services_routing import cases_needing_routing

    assert plain.pk not in set(cases_needing_routing().values_list("pk", flat=True))
    call_command("route_cases", "--no-progress", verbosity=0)
    queues = dict(Case.objects.values_list("account__customer_id", "queue"))
    assert queues[high.customer_id] == "high_value" and queues[vulnerable.pk] == "vulnerable"
    plain.refresh_from_db()
    assert plain.queue == "automated" and plain.history.count() == 1
