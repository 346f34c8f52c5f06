"""The customer's contact preferences: service, API, history, audit, and that the gate honours them."""

from datetime import UTC, datetime, time

import pytest

from collections_crm.errors import ApplicationError
from compliance.models import AuditEvent, ContactPreference
from compliance.selectors import gate_context_for
from compliance.services import contact_preference_set, gate_decide

pytestmark = pytest.mark.django_db


def test_service_records_history_and_audit_and_the_gate_honours_it(account, agent):
    customer = account.customer
    customer.country, customer.region, customer.time_zone = "US", "NY", "America/New_York"
    customer.save()
    pref = contact_preference_set(customer=customer, actor=agent, hours_start=time(18), hours_end=time(20),
                                  days=[0, 1, 2], no_contact_at_work=True, reason="asked on the phone")
    assert (pref.hours_start, pref.hours_end, pref.days_mask, pref.no_contact_at_work) == (time(18), time(20), 7, True)
    event = AuditEvent.objects.get(action="preference.changed")
    assert event.customer_id == customer.pk and event.payload["before"] is None
    assert event.payload["after"]["days"] == [0, 1, 2] and event.payload["reason"] == "asked on the phone"
    assert pref.history.count() == 1 and pref.history.first().history_user == agent
    # Tuesday 12:00 in New York: outside the customer's hours, so the gate blocks.
    noon = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    decision = gate_decide(customer=customer, account=account, channel="email", actor=agent, at=noon)
    assert not decision.allowed and "customer_hours" in decision.reasons
    # A partial change keeps the rest and is audited with before and after.
    contact_preference_set(customer=customer, actor=agent, days=[])
    pref.refresh_from_db()
    assert pref.days_mask == 0 and pref.hours_start == time(18)
    last = AuditEvent.objects.filter(action="preference.changed").order_by("-seq").first()
    assert last.payload["before"]["days"] == [0, 1, 2] and last.payload["after"]["days"] == []
    assert gate_context_for(customer=customer, account=account).preferences.days == frozenset()
    # No change: no new history row, no audit event.
    contact_preference_set(customer=customer, actor=agent, days=[])
    assert AuditEvent.objects.filter(action="preference.changed").count() == 2 and pref.history.count() == 2


@pytest.mark.parametrize("kwargs, words", [
    ({"hours_start": time(9)}, "both the start and the end"),
    ({"hours_start": time(9), "hours_end": time(9)}, "same time"),
    ({"days": [7]}, r"0 \(Monday\) to 6"),
    ({"work_start": time(17), "work_end": time(9)}, "start before their end"),
])
def test_service_rejects_bad_values_and_changes_nothing(account, agent, kwargs, words):
    with pytest.raises(ApplicationError, match=words):
        contact_preference_set(customer=account.customer, actor=agent, **kwargs)
    assert not ContactPreference.objects.exists() and not AuditEvent.objects.filter(action="preference.changed").exists()


def test_api_get_put_patch(agent_api, account):
    url = f"/api/customers/{account.customer_id}/preferences/"
    empty = agent_api.get(url)
    assert empty.status_code == 200 and empty.json()["hours_start"] is None and empty.json()["days"] == []
    put = agent_api.put(url, {"hours_start": "18:00", "hours_end": "21:00", "days": [5, 6],
                              "no_contact_at_work": True}, format="json")
    assert put.status_code == 200, put.json()
    assert put.json()["hours_start"] == "18:00" and put.json()["days"] == [5, 6]
    patch = agent_api.patch(url, {"work_start": "07:00", "work_end": "15:00"}, format="json")
    assert patch.status_code == 200 and patch.json()["days"] == [5, 6] and patch.json()["work_start"] == "07:00"
    # PUT replaces: what it does not give goes back to the default.
    again = agent_api.put(url, {"no_contact_at_work": False}, format="json")
    assert again.json()["hours_start"] is None and again.json()["days"] == [] and again.json()["work_start"] is None
    assert AuditEvent.objects.filter(action="preference.changed", customer_id=account.customer_id).count() == 3


def test_api_bad_input_is_400_and_changes_nothing(agent_api, api_client, account):
    url = f"/api/customers/{account.customer_id}/preferences/"
    bad = agent_api.patch(url, {"hours_start": "18:00"}, format="json")
    assert bad.status_code == 400 and "both the start and the end" in str(bad.json())
    assert agent_api.patch(url, {"days": [9]}, format="json").status_code == 400
    assert agent_api.patch(url, {"hours_start": "late"}, format="json").status_code == 400
    assert agent_api.get("/api/customers/999999/preferences/").status_code == 404
    assert api_client.get(url).status_code in (401, 403)
    assert not ContactPreference.objects.exists()
