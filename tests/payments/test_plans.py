"""Plans, settlements and promises: policy, terms, acceptance, allocation to instalments, the daily run."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import AccountStatus
from compliance.models import AuditEvent
from payments.choices import InstalmentStatus, PlanStatus, PromiseStatus, SettlementStatus
from payments.models import Allocation, InstalmentPlan
from payments.services import plans_run_daily, promises_run_daily, reconcile
from tests.outreach.conftest import library  # noqa: F401  (the default templates, for reminders)

from .factories import post_event, succeeded

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _create_plan(api, account, **body):
    payload = {"account": account.pk, "frequency": "monthly", "count": 3,
               "start": (_today() + timedelta(days=5)).isoformat(), **body}
    return api.post("/api/plans/", payload, format="json")


def test_quote_offers_options_that_sum_exactly(agent_api, account):
    options = agent_api.post("/api/plans/quote/", {"account": account.pk}, format="json").json()["options"]
    assert {o["label"] for o in options} >= {"3 monthly payments", "6 monthly payments", "12 monthly payments"}
    for option in options:
        assert sum(Decimal(i["amount"]) for i in option["instalments"]) == Decimal("42000.00")
        assert "42,000.00" in option["terms_text"] or option["label"].startswith("Short")


def test_plan_in_the_customers_language_accepted_with_stored_terms(agent_api, account):
    account.customer.language = "fr"
    account.customer.save()
    plan = _create_plan(agent_api, account).json()
    assert plan["status"] == PlanStatus.PROPOSED and plan["terms_text"].startswith("Vous acceptez")
    accepted = agent_api.post(f"/api/plans/{plan['id']}/accept/", {"channel": "phone", "ip": "10.0.0.7"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["accepted_ip"] == "10.0.0.7"
    account.refresh_from_db()
    assert account.status == AccountStatus.IN_PLAN
    event = AuditEvent.objects.get(action="plan.accepted")
    assert event.payload["terms_text"] == plan["terms_text"]


def test_uneven_total_splits_exactly_in_minor_units(agent_api, account):
    plan = _create_plan(agent_api, account, count=7).json()
    amounts = [Decimal(i["amount"]) for i in plan["instalments"]]
    assert sum(amounts) == Decimal("42000.00") and max(amounts) - min(amounts) <= Decimal("0.01")


def test_custom_plan_that_does_not_add_up_or_starts_in_the_past_is_refused(agent_api, account):
    start = _today() + timedelta(days=3)
    bad_sum = _create_plan(agent_api, account, frequency="custom", items=[
        {"due_date": start.isoformat(), "amount": "20000.00"},
        {"due_date": (start + timedelta(days=30)).isoformat(), "amount": "20000.00"}])
    assert bad_sum.status_code == 400 and "add up" in bad_sum.json()["detail"]
    past = _create_plan(agent_api, account, start=(_today() - timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "past" in past.json()["detail"]
    assert InstalmentPlan.objects.count() == 0


def test_outside_policy_needs_supervisor_approval(agent_api, supervisor_api, account):
    refused = _create_plan(agent_api, account, count=24)
    assert refused.status_code == 400 and "longer" in refused.json()["detail"]
    plan = _create_plan(agent_api, account, count=24, allow_exception=True).json()
    assert plan["status"] == PlanStatus.PENDING_APPROVAL and plan["outside_policy"]
    assert agent_api.post(f"/api/plans/{plan['id']}/accept/", {"channel": "phone"}, format="json").status_code == 400
    assert agent_api.post(f"/api/plans/{plan['id']}/approve/").status_code == 400
    approved = supervisor_api.post(f"/api/plans/{plan['id']}/approve/").json()
    assert approved["status"] == PlanStatus.PROPOSED and approved["approved_by"]
    assert agent_api.post(f"/api/plans/{plan['id']}/accept/", {"channel": "phone"}, format="json").status_code == 200


def test_payments_fill_instalments_oldest_first_and_complete_the_plan(client, agent_api, account):
    plan_id = _create_plan(agent_api, account).json()["id"]
    agent_api.post(f"/api/plans/{plan_id}/accept/", {"channel": "portal"}, format="json")
    post_event(client, succeeded(account, Decimal("20000.00"), intent="pi_p1"))
    plan = InstalmentPlan.objects.get(pk=plan_id)
    statuses = list(plan.instalments.order_by("seq").values_list("status", "paid_amount"))
    assert statuses == [(InstalmentStatus.PAID, Decimal("14000.00")), (InstalmentStatus.PARTIAL, Decimal("6000.00")),
                        (InstalmentStatus.DUE, Decimal("0.00"))]
    post_event(client, succeeded(account, Decimal("22000.00"), intent="pi_p2"))
    plan.refresh_from_db()
    account.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED and account.status == AccountStatus.PAID
    assert reconcile()[1] == []


def test_missed_instalment_after_grace_breaks_the_plan(agent_api, account):
    plan_id = _create_plan(agent_api, account).json()["id"]
    agent_api.post(f"/api/plans/{plan_id}/accept/", {"channel": "portal"}, format="json")
    first_due = InstalmentPlan.objects.get(pk=plan_id).instalments.get(seq=1).due_date
    assert plans_run_daily(today=first_due - timedelta(days=2))["reminders"] == 1
    assert plans_run_daily(today=first_due + timedelta(days=3))["broken"] == 0  # within the 3-day grace
    assert plans_run_daily(today=first_due + timedelta(days=4))["broken"] == 1
    plan = InstalmentPlan.objects.get(pk=plan_id)
    account.refresh_from_db()
    assert plan.status == PlanStatus.BROKEN and account.status == AccountStatus.OPEN
    assert AuditEvent.objects.filter(action="plan.broken").exists()


def test_settlement_at_floor_then_paid_closes_as_settled(client, agent_api, supervisor_api, account):
    account.creditor.settlement_floor_percent = Decimal("60")
    account.creditor.save()
    below = agent_api.post("/api/settlements/", {"account": account.pk, "amount": "21000.00"}, format="json").json()
    assert below["status"] == SettlementStatus.PENDING_APPROVAL
    offer = agent_api.post("/api/settlements/", {"account": account.pk, "amount": "29400.00"}, format="json").json()
    assert offer["status"] == SettlementStatus.OFFERED and offer["percent"] == "70.00"
    agent_api.post(f"/api/settlements/{offer['id']}/accept/", {"channel": "phone"}, format="json")
    post_event(client, succeeded(account, Decimal("29400.00"), intent="pi_s"))
    account.refresh_from_db()
    assert account.status == AccountStatus.SETTLED and account.balance == 0
    assert Allocation.objects.filter(kind="settlement_discount").get().amount == Decimal("12600.00")
    assert reconcile()[1] == []


def test_promise_kept_by_payment_and_broken_when_missed(client, agent_api, account):
    due = _today() + timedelta(days=2)
    kept = agent_api.post("/api/promises/", {"account": account.pk, "amount": "500.00", "due_date": due.isoformat(),
                                             "channel": "phone"}, format="json")
    assert kept.status_code == 201
    post_event(client, succeeded(account, Decimal("500.00"), intent="pi_pr"))
    assert agent_api.get(f"/api/promises/{kept.json()['id']}/").json()["status"] == PromiseStatus.KEPT
    broken = agent_api.post("/api/promises/", {"account": account.pk, "amount": "700.00", "due_date": due.isoformat(),
                                               "channel": "sms"}, format="json").json()
    promises_run_daily(today=due + timedelta(days=10))
    assert agent_api.get(f"/api/promises/{broken['id']}/").json()["status"] == PromiseStatus.BROKEN
    past = agent_api.post("/api/promises/", {"account": account.pk, "amount": "1.00",
                                             "due_date": (_today() - timedelta(days=1)).isoformat(), "channel": "phone"},
                          format="json")
    assert past.status_code == 400 and "past" in past.json()["detail"]


@pytest.mark.parametrize("last4, paid", [("4242", True), ("0002", False)])
def test_autopay_charges_on_due_date_and_schedules_retry_on_decline(agent, account, last4, paid):
    from django.test import TestCase

    from payments.models import SavedPaymentMethod
    from payments.services import plan_accept, plan_autopay_enable, plan_create

    plan = plan_create(actor=agent, account=account, frequency="monthly", count=3, start=_today() + timedelta(days=2))
    plan_accept(actor=agent, plan=plan, channel="phone")
    card = SavedPaymentMethod.objects.create(customer=account.customer, provider="offline", provider_customer_id="cus_x",
                                             provider_method_id=f"pm_{last4}", brand="visa", last4=last4,
                                             exp_month=1, exp_year=2030)
    plan_autopay_enable(actor=agent, plan=plan, method=card)
    first = plan.instalments.get(seq=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert plans_run_daily(today=first.due_date)["charged"] == 1
    first.refresh_from_db()
    if paid:
        assert first.status == InstalmentStatus.PAID
        assert reconcile()[1] == []
    else:
        assert first.status == InstalmentStatus.DUE and first.retry_count == 1
        assert first.next_retry_on == first.due_date + timedelta(days=3)
        # On the retry day the card is tried again.
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert plans_run_daily(today=first.due_date + timedelta(days=3))["charged"] == 1
        first.refresh_from_db()
        assert first.retry_count == 2 and first.next_retry_on == first.due_date + timedelta(days=7)


def test_short_plan_is_offered_once_per_customer_and_refused_after(agent_api, account):
    """The creditor's one-time short plan: offered while eligible, recorded as its kind on acceptance,
    and never offered or granted again to the same person — even on another account."""
    options = agent_api.post("/api/plans/quote/", {"account": account.pk}, format="json").json()["options"]
    short = [o for o in options if o["kind"] == "short"]
    assert len(short) == 1 and short[0]["frequency"] == "fortnightly" and len(short[0]["instalments"]) == 3
    plan = _create_plan(agent_api, account, frequency="fortnightly", count=3, kind="short").json()
    assert plan["kind"] == "short" and plan["status"] == PlanStatus.PROPOSED
    agent_api.post(f"/api/plans/{plan['id']}/accept/", {"channel": "portal"}, format="json")
    agent_api.post(f"/api/plans/{plan['id']}/cancel/", {"reason": "changed their mind"}, format="json")

    from tests.accounts.factories import AccountFactory, CaseFactory
    other = AccountFactory(creditor=account.creditor, customer=account.customer, reference="SECOND-1")
    CaseFactory(account=other)
    again = agent_api.post("/api/plans/quote/", {"account": other.pk}, format="json").json()["options"]
    assert [o for o in again if o["kind"] == "short"] == []
    refused = _create_plan(agent_api, other, frequency="fortnightly", count=3, kind="short")
    assert refused.status_code == 400
    assert "only be used once" in str(refused.json())
    assert InstalmentPlan.objects.filter(account=other).count() == 0


def test_short_plan_longer_than_policy_is_outside_policy(agent_api, account):
    refused = _create_plan(agent_api, account, frequency="fortnightly", count=5, kind="short")
    assert refused.status_code == 400 and "at most 3 payments" in str(refused.json())


def test_a_promise_gets_one_gentle_reminder_through_the_gate_before_its_date(agent_api, creditor, library):  # noqa: F811
    from outreach.models import Message
    from tests.outreach.messaging import LAGOS_NOON, contactable_account

    account = contactable_account(creditor, channels=("sms",))
    due = LAGOS_NOON.date() + timedelta(days=1)
    promise = agent_api.post("/api/promises/", {"account": account.pk, "amount": "750.00", "due_date": due.isoformat(),
                                                "channel": "phone"}, format="json").json()
    assert promises_run_daily(today=LAGOS_NOON.date(), at=LAGOS_NOON)["reminders"] == 1
    message = Message.objects.get(account=account, purpose="pre_due_nudge")
    assert message.gate_decision.allowed and message.source == "proactive"
    assert "₦750.00" in message.body
    assert agent_api.get(f"/api/promises/{promise['id']}/").json()["reminded_at"]
    # The next run (or a retried one) does not remind again.
    assert promises_run_daily(today=LAGOS_NOON.date(), at=LAGOS_NOON)["reminders"] == 0
    assert Message.objects.filter(account=account, purpose="pre_due_nudge").count() == 1
