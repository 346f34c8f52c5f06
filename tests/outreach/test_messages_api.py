"""Messages API: read with filters (query-count guarded), send through the gate (409 when blocked)."""

import pytest

from collections_crm.history import system_user
from outreach.choices import MessageSource, MessageStatus
from outreach.models import Message
from outreach.services import message_queue
from tests.outreach.messaging import LAGOS_NOON, contactable_account, zone_where_it_is

pytestmark = pytest.mark.django_db


@pytest.fixture
def ng(creditor, library):
    return contactable_account(creditor, channels=("sms", "email"))


def test_list_and_filter(agent_api, ng, creditor, django_assert_max_num_queries):
    other = contactable_account(creditor)
    for i in range(4):
        message_queue(customer=ng.customer, account=ng, channel="sms", purpose="friendly_reminder",
                      actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON, idempotency_key=f"a{i}")
    message_queue(customer=other.customer, account=other, channel="sms", purpose="friendly_reminder",
                  actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON.replace(hour=23))
    with django_assert_max_num_queries(6):
        response = agent_api.get("/api/messages/", {"account": ng.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 4 and all(r["gate_decision"]["allowed"] for r in rows)
    assert {r["template_version"] for r in rows} == {rows[0]["template_version"]}
    blocked = agent_api.get("/api/messages/", {"status": "blocked"}).json()["results"]
    assert [r["account"] for r in blocked] == [other.pk]
    assert blocked[0]["gate_decision"]["reasons"] == ["outside_window"]
    assert agent_api.get("/api/messages/", {"channel": "email"}).json()["results"] == []
    assert agent_api.get(f"/api/messages/{rows[0]['id']}/").json()["body"] == rows[0]["body"]


def test_needs_an_agent(api_client, ng):
    assert api_client.get("/api/messages/").status_code in (401, 403)


def test_send_through_the_gate(agent_api, creditor, library):
    acc = contactable_account(creditor, channels=("sms",))
    acc.customer.time_zone = zone_where_it_is(12)
    acc.customer.save()
    payload = {"account": acc.pk, "channel": "sms", "purpose": "callback_confirmation",
               "idempotency_key": "agent-click-1"}
    response = agent_api.post("/api/messages/send/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "agent" and body["actor"] == "agent.ada" and body["gate_decision"]["allowed"]
    again = agent_api.post("/api/messages/send/", payload, format="json")  # a double click
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Message.objects.count() == 1


def test_send_blocked_is_a_409_with_reasons(agent_api, creditor, library):
    acc = contactable_account(creditor, channels=("sms",))
    acc.customer.time_zone = zone_where_it_is(0)  # midnight where the customer is
    acc.customer.save()
    response = agent_api.post("/api/messages/send/", {"account": acc.pk, "channel": "sms",
                                                      "purpose": "callback_confirmation"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["reasons"] == ["outside_window"] and body["next_allowed_at"]
    assert body["message"]["status"] == MessageStatus.BLOCKED


def test_send_bad_input(agent_api, creditor, library):
    acc = contactable_account(creditor, channels=("sms",))
    assert agent_api.post("/api/messages/send/", {"account": acc.pk, "channel": "sms"}, format="json").status_code == 400
    assert agent_api.post("/api/messages/send/", {"account": 999999, "channel": "sms", "purpose": "friendly_reminder"},
                          format="json").status_code == 400
    response = agent_api.post("/api/messages/send/", {"account": acc.pk, "channel": "sms", "purpose": "friendly_reminder",
                                                      "text": "Pay or we will sue you"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "care_check_failed"
    response = agent_api.post("/api/messages/send/", {"account": acc.pk, "channel": "whatsapp",
                                                      "purpose": "friendly_reminder", "text": "Hi"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "whatsapp_window"
    assert not Message.objects.exists()
