"""The desk pages: bounded queries whatever the data, the actions through their services, and stale or
closed cases answered with a clear message and nothing changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Case
from compliance.models import AuditEvent
from desk.models import ApprovalRequest, CaseNote
from payments.models import InstalmentPlan, PromiseToPay

pytestmark = pytest.mark.django_db


def test_agents_only(client, make_case):
    assert client.get("/desk/").status_code == 302  # sign in first


def test_queue_page_queries_do_not_grow_with_cases(client, desk_agent, make_case, django_assert_max_num_queries):
    for _ in range(3):
        make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    with django_assert_max_num_queries(5):  # session, user, roles, count, one joined page of cases
        first = client.get("/desk/")
    for _ in range(12):
        make_case(dispute=True, assignee=desk_agent)
    with django_assert_max_num_queries(5):
        response = client.get("/desk/")
    assert response.status_code == first.status_code == 200
    assert response.content.count(b"data-case=") == 15
    make_case(dispute=True)  # one nobody has yet
    htmx = client.get("/desk/?scope=all&queue=disputes", HTTP_HX_REQUEST="true")
    assert b"<html" not in htmx.content and htmx.content.count(b"data-case=") == 16


def test_case_page_shows_everything_with_bounded_queries(client, desk_agent, make_case, supervisor,
                                                         django_assert_max_num_queries):
    from desk.services import case_note_add

    case = make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    with django_assert_max_num_queries(28) as small:  # 24, and 4 to create the creditor's payment policy
        client.get(f"/desk/case/{case.pk}/")
    for n in range(15):
        case.refresh_from_db()
        case_note_add(case=case, actor=desk_agent, version=case.version, text=f"Note {n}")
    with django_assert_max_num_queries(len(small.captured_queries)) :
        response = client.get(f"/desk/case/{case.pk}/")
    body = response.content.decode()
    assert "Dispute opened" in body and "Note 14" in body and "Can I contact now?" in body
    assert "hold:dispute" not in body and "On hold: dispute" in body  # plain words, not codes
    assert "Plans this customer qualifies for" in body and "monthly payments" in body


def test_promise_from_the_desk_sets_the_case_waiting(client, desk_agent, make_case):
    case = make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(f"/desk/case/{case.pk}/promise/", {"version": case.version, "amount": "5000.00",
                                                               "due_date": due.isoformat()}, follow=True)
    assert "Promise recorded" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "waiting" and PromiseToPay.objects.filter(account=case.account).count() == 1
    assert f"data-case=\"{case.pk}\"" not in client.get("/desk/").content.decode()  # left my to-do list


def test_double_click_and_stale_form_are_refused_and_nothing_duplicated(client, desk_agent, make_case):
    case = make_case(review=True, assignee=desk_agent)
    client.force_login(desk_agent)
    data = {"version": case.version, "text": "Customer lost her job last month"}
    client.post(f"/desk/case/{case.pk}/note/", data)
    response = client.post(f"/desk/case/{case.pk}/note/", data, follow=True)
    assert "changed while you had it open" in response.content.decode()
    assert CaseNote.objects.filter(case=case).count() == 1


def test_action_on_a_case_just_reassigned_is_refused(client, desk_agent, make_case, supervisor):
    from accounts.services_assignment import case_reassign
    from tests.accounts.factories import AgentProfileFactory
    from tests.conftest import _user_with_role

    tunde = _user_with_role("agent", "agent.tunde")
    AgentProfileFactory(user=tunde, display_name="Tunde", languages=["en"], skills=["disputes"])
    case = make_case(dispute=True, assignee=desk_agent)
    seen = case.version
    case_reassign(case=case, actor=supervisor, agent=tunde, version=seen)
    client.force_login(desk_agent)
    response = client.post(f"/desk/case/{case.pk}/promise/", {
        "version": seen, "amount": "10.00", "due_date": (timezone.localdate() + timedelta(days=2)).isoformat()},
        follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert not PromiseToPay.objects.filter(account=case.account).exists()
    client.force_login(desk_agent)
    fresh = Case.objects.get(pk=case.pk)
    response = client.post(f"/desk/case/{case.pk}/note/", {"version": fresh.version, "text": "hi"}, follow=True)
    assert "now with" in response.content.decode()


def test_closed_case_refuses_actions(client, desk_agent, make_case):
    from tests.payments.factories import post_event, succeeded

    case = make_case(review=True, assignee=desk_agent)
    post_event(client, succeeded(case.account, case.account.balance))
    case.refresh_from_db()
    assert case.status == "closed"
    client.force_login(desk_agent)
    response = client.post(f"/desk/case/{case.pk}/note/", {"version": case.version, "text": "late"}, follow=True)
    assert "closed" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_invalid_form_shows_errors_not_a_traceback(client, desk_agent, make_case):
    case = make_case(review=True, assignee=desk_agent)
    client.force_login(desk_agent)
    response = client.post(f"/desk/case/{case.pk}/promise/", {"version": case.version, "amount": "lots",
                                                               "due_date": "someday"})
    assert response.status_code == 400 and "Please check the form" in response.content.decode()


def test_out_of_policy_plan_needs_approval_then_supervisor_approves(client, desk_agent, supervisor, make_case):
    case = make_case(review=True, assignee=desk_agent)
    client.force_login(desk_agent)
    start = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"version": case.version, "frequency": "monthly", "count": 60, "start": start}
    response = client.post(f"/desk/case/{case.pk}/plan/", data, follow=True)
    assert not InstalmentPlan.objects.exists()  # refused with the policy's reasons
    assert "alert-danger" in response.content.decode()
    case.refresh_from_db()
    response = client.post(f"/desk/case/{case.pk}/plan/", {**data, "version": case.version, "allow_exception": "on"},
                           follow=True)
    assert "waiting for a supervisor" in response.content.decode()
    plan = InstalmentPlan.objects.get()
    assert plan.status == "pending_approval"
    client.force_login(supervisor)
    team = client.get("/desk/team/").content.decode()
    assert "Plan outside policy" in team
    client.post(f"/desk/team/approvals/plan/{plan.pk}/", {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == "proposed" and plan.approved_by == supervisor


def test_dispute_outcome_by_an_agent_goes_to_a_supervisor(client, desk_agent, supervisor, make_case):
    case = make_case(dispute=True, assignee=desk_agent)
    dispute = case.account.disputes.get()
    client.force_login(desk_agent)
    client.post(f"/desk/case/{case.pk}/dispute-resolve/", {"version": case.version, "dispute": dispute.pk,
                                                            "outcome": "verified", "note": "Statement matches"})
    request = ApprovalRequest.objects.get()
    dispute.refresh_from_db()
    assert dispute.status == "open" and request.proposed_outcome == "verified"
    client.force_login(supervisor)
    client.post(f"/desk/team/approvals/request/{request.pk}/", {"decision": "approve", "note": "Agreed"})
    dispute.refresh_from_db()
    case.refresh_from_db()
    assert dispute.status == "verified" and case.queue == "automated"
    assert AuditEvent.objects.filter(action="approval.approved", actor_id=supervisor.pk).exists()


def test_write_off_approval_closes_the_case(client, desk_agent, supervisor, make_case):
    case = make_case(review=True, assignee=desk_agent)
    client.force_login(desk_agent)
    client.post(f"/desk/case/{case.pk}/approval/", {"version": case.version, "kind": "write_off",
                                                     "note": "Customer deceased; estate has nothing"})
    request = ApprovalRequest.objects.get()
    client.force_login(supervisor)
    client.post(f"/desk/team/approvals/request/{request.pk}/", {"decision": "approve"})
    case.refresh_from_db()
    assert case.account.status == "written_off" and case.status == "closed"


def test_team_page_is_for_supervisors_with_bounded_queries(client, desk_agent, supervisor, make_case,
                                                          django_assert_max_num_queries):
    for _ in range(4):
        make_case(dispute=True)
    client.force_login(desk_agent)
    assert client.get("/desk/team/").status_code == 403
    client.force_login(supervisor)
    with django_assert_max_num_queries(15):
        response = client.get("/desk/team/")
    body = response.content.decode()
    assert response.status_code == 200 and "queue-chart" in body and "Ada" in body


def test_routing_policy_edit(client, supervisor, make_case, creditor):
    case = make_case()
    client.force_login(supervisor)
    response = client.post(f"/desk/team/routing/{creditor.slug}/", {
        "high_value_threshold": "1000.00", "broken_plan_limit": 2, "sla_disputes": 24})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.queue == "high_value"
    assert creditor.routing_policy.sla_hours["disputes"] == 24
    bad = client.post(f"/desk/team/routing/{creditor.slug}/", {"broken_plan_limit": 0})
    assert bad.status_code == 400


def test_next_case_button(client, desk_agent, make_case):
    case = make_case(dispute=True)
    client.force_login(desk_agent)
    response = client.post("/desk/next/", {"queue": "disputes"})
    assert response.status_code == 302 and response.url == f"/desk/case/{case.pk}/"
    response = client.post("/desk/next/", {"queue": "disputes"}, follow=True)
    assert "no case waiting" in response.content.decode()


def test_hardship_pause_and_vulnerability(client, desk_agent, make_case):
    case = make_case(review=True, assignee=desk_agent)
    client.force_login(desk_agent)
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(f"/desk/case/{case.pk}/hardship/", {"version": case.version, "until": until, "reason": "Lost job"})
    assert case.account.customer.holds.filter(kind="hardship_pause").exists()
    case.refresh_from_db()
    client.post(f"/desk/case/{case.pk}/vulnerability/", {"version": case.version, "flags": ["life_event"],
                                                          "note": "Bereavement"})
    case.refresh_from_db()
    assert case.queue == "vulnerable"


def test_balance_shown_with_currency(client, desk_agent, make_case):
    case = make_case(review=True, assignee=desk_agent, principal=Decimal("1234.00"))
    client.force_login(desk_agent)
    assert "NGN" in client.get(f"/desk/case/{case.pk}/").content.decode()


def test_message_on_a_disputed_account_is_blocked_with_the_reason(client, desk_agent, make_case):
    from outreach.models import Message

    case = make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    form = client.get(f"/desk/case/{case.pk}/form/message/?v={case.version}").content.decode()
    assert 'name="idempotency_key"' in form and f'name="version" value="{case.version}"' in form
    response = client.post(f"/desk/case/{case.pk}/message/", {
        "version": case.version, "channel": "sms", "purpose": "friendly_reminder", "idempotency_key": "desk:t1"},
        follow=True)
    body = response.content.decode()
    assert "Not sent: the contact rules say no" in body
    message = Message.objects.get(idempotency_key="desk:t1")
    assert message.status == "blocked" and message.gate_decision is not None  # decided by the gate, kept


def test_outbound_call_on_a_disputed_account_is_refused_inbound_call_is_logged(client, desk_agent, make_case):
    from outreach.models import Message

    case = make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    data = {"version": case.version, "direction": "outbound", "outcome": "spoke_to_customer",
            "duration_minutes": 3, "notes": "", "transcript": ""}
    response = client.post(f"/desk/case/{case.pk}/call/", data, follow=True)
    assert "contact rules do not allow a call" in response.content.decode()
    assert not Message.objects.filter(channel="voice", call_outcome__gt="").exists()
    case.refresh_from_db()
    response = client.post(f"/desk/case/{case.pk}/call/", {**data, "version": case.version, "direction": "inbound",
                                                            "transcript": "Customer: I paid in March."},
                           follow=True)
    assert "Call logged" in response.content.decode()
    call = Message.objects.get(channel="voice", direction="inbound")
    assert call.duration_seconds == 180 and call.case_id == case.pk
    assert "Call from customer" in client.get(f"/desk/case/{case.pk}/").content.decode()


def _one_of_each(case, *, agent, round_no):
    """A call, a payment, a plan, a promise, a hardship hold, a callback, a note and a supervisor request on
    the case, each by ``agent`` (the dispute and the routing changes come from ``make_case``)."""
    from desk import services
    from tests.payments.factories import post_event, succeeded

    def fresh():
        return Case.objects.get(pk=case.pk)

    services.desk_call_log(case=fresh(), actor=agent, version=None, direction="inbound", outcome="spoke_to_customer",
                           duration_seconds=120, notes=f"Call {round_no}")
    services.case_note_add(case=fresh(), actor=agent, version=None, text=f"Note {round_no}")
    services.desk_callback_request(case=fresh(), actor=agent, version=None,
                                   preferred_at=timezone.now() + timedelta(days=1), note=f"Callback {round_no}")
    services.desk_hardship_pause(case=fresh(), actor=agent, version=None,
                                 until=timezone.localdate() + timedelta(days=10 + round_no), reason="Lost job")
    if round_no < 2:  # one pending request of each kind at most
        services.approval_request_create(case=fresh(), actor=agent, version=None,
                                         kind=["write_off", "other"][round_no], note=f"Request {round_no}")
    InstalmentPlan.objects.create(account=case.account, frequency="monthly", total=Decimal("300.00"),
                                  currency=case.account.currency, proposed_by=agent)
    PromiseToPay.objects.create(account=case.account, amount=Decimal("10.00"), currency=case.account.currency, channel="phone",
                                due_date=timezone.localdate() + timedelta(days=3), taken_by=agent)
    return post_event, succeeded


def test_case_page_queries_do_not_grow_with_any_kind_of_history(client, desk_agent, make_case,
                                                                django_assert_max_num_queries):
    """Every kind on the timeline, once and then three times over: the same number of queries, and each
    entry says who did it (the names are read once for the whole story)."""
    desk_agent.first_name, desk_agent.last_name = "Ada", "Obi"
    desk_agent.save()
    case = make_case(dispute=True, assignee=desk_agent)
    client.force_login(desk_agent)
    post_event, succeeded = _one_of_each(case, agent=desk_agent, round_no=0)
    post_event(client, succeeded(case.account, Decimal("1.00"), intent="pi_desk_0", event_id="evt_desk_0"))
    client.force_login(desk_agent)
    client.get(f"/desk/case/{case.pk}/")  # the creditor's payment policy is created on first read
    with django_assert_max_num_queries(24) as small:
        response = client.get(f"/desk/case/{case.pk}/")
    limit = len(small.captured_queries)  # read now: the next requests reset the connection's query log
    body = response.content.decode()
    for kind in ("call", "note", "callback", "hold", "approval", "plan", "promise", "payment", "dispute", "change"):
        assert f"timeline-{kind}" in body, kind
    assert body.count("· Ada Obi") >= 7  # call, note, callback, hold, request, plan, promise
    for n in range(1, 4):
        _one_of_each(case, agent=desk_agent, round_no=n)
        post_event(client, succeeded(case.account, Decimal("1.00"), intent=f"pi_desk_{n}", event_id=f"evt_desk_{n}"))
    client.force_login(desk_agent)
    with django_assert_max_num_queries(limit):
        response = client.get(f"/desk/case/{case.pk}/")
    body = response.content.decode()
    assert "Note 3" in body and "Callback 3" in body and "Request 1" in body and body.count("· Ada Obi") >= 20
