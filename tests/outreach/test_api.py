"""The templates API: agents read; supervisors write, approve and retire; clean 400s for bad input."""

import pytest

from outreach.models import MessageTemplate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

BODY = "Hi {{ first_name }}, pay in parts here: {{ pay_link }} {{ opt_out }}"


def test_agents_read_but_cannot_write(agent_api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = agent_api.get("/api/templates/", {"language": "pcm", "status": "approved"})
    assert response.status_code == 200
    assert {row["language"] for row in response.json()["results"]} == {"pcm"}
    denied = agent_api.post("/api/templates/", {"channel": "sms", "language": "en", "purpose": "plan_offer", "body": BODY})
    assert denied.status_code == 403


def test_supervisor_create_edit_approve_versions(supervisor_api, creditor):
    created = supervisor_api.post("/api/templates/", {
        "creditor": creditor.slug, "channel": "sms", "language": "en", "purpose": "plan_offer", "body": BODY,
    }, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    approved = supervisor_api.post(f"/api/templates/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    edited = supervisor_api.patch(f"/api/templates/{pk}/", {"body": BODY + " Thanks."}, format="json")
    assert edited.status_code == 201 and edited.json()["version"] == 2 and edited.json()["status"] == "draft"
    versions = supervisor_api.get(f"/api/templates/{pk}/versions/").json()
    assert [v["version"] for v in versions] == [2, 1]


def test_bad_template_gives_a_clean_400_with_the_line(supervisor_api):
    response = supervisor_api.post("/api/templates/", {
        "channel": "sms", "language": "en", "purpose": "plan_offer", "body": "Hi\n{% for x in %}",
    }, format="json")
    assert response.status_code == 400
    assert str(response.json()["line"]) == "2" and response.json()["code"] == "template_syntax"
    unknown = supervisor_api.post("/api/templates/", {
        "channel": "sms", "language": "en", "purpose": "plan_offer", "body": "{{ password }}",
    }, format="json")
    assert unknown.status_code == 400 and "password" in unknown.json()["detail"]
    assert not MessageTemplate.objects.filter(body__contains="password").exists()


def test_approval_refused_with_findings(supervisor_api, creditor):
    created = supervisor_api.post("/api/templates/", {
        "creditor": creditor.slug, "channel": "sms", "language": "fr", "purpose": "plan_offer",
        "body": "Payez ou un huissier passera. {{ pay_link }}",
    }, format="json").json()
    assert created["care_passed"] is False
    response = supervisor_api.post(f"/api/templates/{created['id']}/approve/")
    assert response.status_code == 400
    assert response.json()["findings"][0]["category"] == "impersonation"


def test_preview_endpoint(agent_api):
    response = agent_api.post("/api/templates/preview/", {
        "channel": "sms", "language": "es", "body": "Hola {{ first_name }}. Pague aquí: {{ pay_link }} {{ collector_disclosure }} {{ opt_out }}",
    }, format="json")
    data = response.json()
    assert response.status_code == 200
    assert data["rendered"]["body"].startswith("Hola Ada.") and data["rendered"]["segments"] >= 1
    assert data["care"]["passed"] is True and data["jurisdiction"] == "*"
    assert "first_name" in agent_api.get("/api/templates/variables/").json()


def test_invalid_choice_is_a_400(supervisor_api):
    response = supervisor_api.post("/api/templates/", {
        "channel": "fax", "language": "en", "purpose": "plan_offer", "body": BODY,
    }, format="json")
    assert response.status_code == 400 and "channel" in response.json()
