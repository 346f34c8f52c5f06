"""The desk API: role permissions, bounded queries, actions through the same services, clean 4xx."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from desk.models import ApprovalRequest
from payments.models import PromiseToPay

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_api(desk_agent):
    client = APIClient()
    client.force_authenticate(desk_agent)
    return client


def test_anonymous_refused(api_client):
    assert api_client.get("/api/desk/cases/").status_code in (401, 403)


def test_my_cases_with_bounded_queries(desk_api, desk_agent, make_case, django_assert_max_num_queries):
    for _ in range(6):
        make_case(dispute=True, assignee=desk_agent)
    with django_assert_max_num_queries(6):
        response = desk_api.get("/api/desk/cases/")
    assert response.status_code == 200 and len(response.json()["results"]) == 6
    assert {c["queue"] for c in response.json()["results"]} == {"disputes"}


def test_case_detail_with_timeline_and_contact_now(desk_api, desk_agent, make_case):
    case = make_case(dispute=True, assignee=desk_agent)
    data = desk_api.get(f"/api/desk/cases/{case.pk}/").json()
    assert data["version"] == case.version
    assert any(i["kind"] == "dispute" for i in data["timeline"])
    assert {c["channel"] for c in data["contact_now"]} >= {"sms", "email", "voice"}


def test_next_case_then_promise_then_stale_version_conflict(desk_api, desk_agent, make_case):
    case = make_case(dispute=True)
    taken = desk_api.post("/api/desk/next-case/", {"queue": "disputes"}, format="json").json()
    assert taken["id"] == case.pk and taken["assignee"] == desk_agent.username
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = {"version": taken["version"], "amount": "100.00", "due_date": due}
    first = desk_api.post(f"/api/desk/cases/{case.pk}/promise/", body, format="json")
    assert first.status_code == 200 and first.json()["case"]["status"] == "waiting"
    again = desk_api.post(f"/api/desk/cases/{case.pk}/promise/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "case_changed"
    assert PromiseToPay.objects.filter(account=case.account).count() == 1
    empty = desk_api.post("/api/desk/next-case/", {"queue": "disputes"}, format="json")
    assert empty.status_code == 400 and "no case waiting" in empty.json()["detail"]


def test_bad_action_input_is_a_clean_400(desk_api, desk_agent, make_case):
    case = make_case(dispute=True, assignee=desk_agent)
    response = desk_api.post(f"/api/desk/cases/{case.pk}/promise/", {"version": case.version, "amount": "-5",
                                                                      "due_date": "x"}, format="json")
    assert response.status_code == 400 and "due_date" in response.json()


def test_agents_cannot_assign_or_decide(desk_api, desk_agent, make_case):
    case = make_case(dispute=True)
    assert desk_api.post(f"/api/desk/cases/{case.pk}/assign/", {"version": case.version},
                         format="json").status_code == 403
    assert desk_api.get("/api/desk/approvals/").status_code == 403
    assert desk_api.put("/api/desk/routing-policies/x/", {}, format="json").status_code == 403


def test_supervisor_assigns_least_loaded_and_decides(supervisor_api, desk_agent, make_case, desk_api):
    case = make_case(dispute=True)
    response = supervisor_api.post(f"/api/desk/cases/{case.pk}/assign/", {"version": case.version}, format="json")
    assert response.status_code == 200 and response.json()["case"]["assignee"] == desk_agent.username
    version = response.json()["case"]["version"]
    desk_api.post(f"/api/desk/cases/{case.pk}/approval/", {"version": version, "kind": "other",
                                                           "note": "Customer asks to waive fees"}, format="json")
    request = ApprovalRequest.objects.get()
    listing = supervisor_api.get("/api/desk/approvals/").json()
    assert [r["id"] for r in listing["requests"]] == [request.pk]
    decided = supervisor_api.post(f"/api/desk/approvals/{request.pk}/decide/", {"decision": "reject"}, format="json")
    assert decided.json()["status"] == "rejected"
    again = supervisor_api.post(f"/api/desk/approvals/{request.pk}/decide/", {"decision": "approve"}, format="json")
    assert again.status_code == 400 and "already decided" in again.json()["detail"]


def test_queues_and_routing_policy(supervisor_api, make_case, creditor, django_assert_max_num_queries):
    make_case(dispute=True)
    with django_assert_max_num_queries(4):
        stats = {s["queue"]: s for s in supervisor_api.get("/api/desk/queues/").json()}
    assert stats["disputes"]["open"] == 1 and stats["disputes"]["unassigned"] == 1
    put = supervisor_api.put(f"/api/desk/routing-policies/{creditor.slug}/", {
        "high_value_threshold": "100.00", "sla_hours": {"high_value": 12}, "broken_plan_limit": 3,
        "disabled_queues": []}, format="json")
    assert put.status_code == 200 and put.json()["sla_hours"] == {"high_value": 12}
    bad = supervisor_api.put(f"/api/desk/routing-policies/{creditor.slug}/", {
        "high_value_threshold": None, "sla_hours": {}, "broken_plan_limit": 2, "disabled_queues": ["disputes"]},
        format="json")
    assert bad.status_code == 400 and "disabled_queues" in bad.json()
