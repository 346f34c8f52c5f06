"""The desk in a real browser: an agent takes the next dispute case, reads the timeline, logs a call with an
outcome and records a promise, and the case leaves their queue; a supervisor reassigns a case and sees
who did it, and when, in the audit history."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Case
from compliance.services import dispute_open
from payments.models import PromiseToPay
from tests.accounts.factories import (
    AccountFactory,
    AgentProfileFactory,
    CaseFactory,
    CustomerFactory,
    UserFactory,
)


def _agent(username, first, skills):
    user = UserFactory(username=username, first_name=first, last_name="Test")
    user.groups.add(Group.objects.get(name="agent"))
    AgentProfileFactory(user=user, display_name=first, languages=["en"], skills=skills)
    return user


def _dispute_case(creditor, actor):
    customer = CustomerFactory(creditor=creditor, first_name="Chidi", last_name="Okeke")
    case = CaseFactory(account=AccountFactory(creditor=creditor, customer=customer))
    dispute_open(account=case.account, reason="already_paid", description="Paid at the office in March",
                 actor=actor)
    return Case.objects.get(pk=case.pk)


def test_agent_takes_a_dispute_case_logs_a_call_records_a_promise(login, page, live_server, creditor, supervisor):
    ada = _agent("agent.ada", "Ada", ["disputes"])
    case = _dispute_case(creditor, supervisor)

    login(ada)
    page.get_by_role("link", name="Desk").click()
    expect(page.get_by_role("heading", name="Desk")).to_be_visible()
    page.locator("#next-case-form select").select_option("disputes")
    page.get_by_role("button", name="Next case").click()

    expect(page.get_by_role("heading", name="Chidi Okeke")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("Open")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Dispute opened: Already paid")
    expect(timeline).to_contain_text("Paid at the office in March")
    expect(page.locator("#contact-now")).to_contain_text("On hold: dispute")

    # The customer rang in about the dispute: the agent logs the call and its outcome.
    page.get_by_role("button", name="Log a call").click()
    call = page.locator("#form-call")
    call.get_by_label("Who called").select_option("inbound")
    call.get_by_label("Outcome").select_option("promise_made")
    call.get_by_label("Length (minutes)").fill("7")
    call.get_by_label("Notes").fill("Will pay part while we check the receipt")
    call.get_by_role("button", name="Log call").click()
    expect(page.locator(".alert-success")).to_contain_text("Call logged")
    expect(timeline).to_contain_text("Call from customer")

    page.get_by_role("button", name="Record a promise").click()
    promise = page.locator("#form-promise")
    promise.get_by_label("Amount").fill("5000")
    promise.get_by_label("Promised date").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    promise.get_by_role("button", name="Record promise").click()

    # Back on the queue: the case is waiting on the customer and no longer in the to-do list.
    expect(page.locator(".alert-success")).to_contain_text("Promise recorded")
    expect(page.locator(f"tr[data-case='{case.pk}']")).to_have_count(0)
    case.refresh_from_db()
    assert case.status == "waiting" and case.assignee == ada
    assert PromiseToPay.objects.get(account=case.account).amount == 5000


def test_supervisor_reassigns_and_sees_who_and_when_in_audit(login, page, live_server, creditor, supervisor):
    supervisor.first_name, supervisor.last_name = "Kemi", "Sup"
    supervisor.save()
    ada = _agent("agent.ada", "Ada", ["disputes"])
    tunde = _agent("agent.tunde", "Tunde", ["disputes"])
    case = _dispute_case(creditor, supervisor)
    case.assignee = ada
    case.save()

    login(supervisor)
    page.goto(f"{live_server.url}/desk/case/{case.pk}/")
    page.get_by_role("button", name="Assign or reassign").click()
    form = page.locator("#form-assign")
    form.get_by_label("Agent").select_option(label="agent.tunde")
    form.get_by_role("button", name="Assign").click()
    expect(page.locator(".alert-success")).to_contain_text("Assigned to Tunde Test")

    page.get_by_role("link", name="Audit history").click()
    entry = page.locator(".history-entry", has_text="Reassigned to agent.tunde").first
    expect(entry).to_contain_text("Kemi Sup")
    expect(entry.locator(".history-diff")).to_contain_text(str(ada.pk))
    expect(entry.locator(".history-diff")).to_contain_text(str(tunde.pk))
    event = page.locator(".audit-event", has_text="case.reassigned").first
    expect(event).to_contain_text("sup.sam")
    expect(event).to_contain_text(timezone.localtime().strftime("%Y-%m-%d"))
