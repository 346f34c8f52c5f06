"""Campaigns (supervisor pages, API, the campaign tick through the gate), the shipped Valentine's draft,
and the cadence pages."""

import importlib
from datetime import date, timedelta

import pytest
from django.urls import reverse

from collections_crm.history import system_user
from outreach.cadences.choices import CampaignStatus
from outreach.cadences.models import CadenceDelivery, Campaign
from outreach.cadences.services import cadence_create, cadence_defaults_load
from outreach.cadences.tasks import campaign_tick
from outreach.models import DevOutboxEntry, Message
from tests.accounts.factories import CreditorFactory
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]

valentine = importlib.import_module("outreach.migrations.0007_valentines_campaign")


def _form(**changes):
    data = {
        "name": "Care week", "description": "", "creditor": "", "balance_min": "", "balance_max": "",
        "channel": "preferred", "purpose": "seasonal_care", "consent_required": "on",
        "starts_at": (LAGOS_NOON - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (LAGOS_NOON + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(changes)
    return data


def test_valentines_draft_is_shipped_for_the_week_of_14_february():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    state_apps = MigrationLoader(connection).project_state(("outreach", "0007_valentines_campaign")).apps
    Campaign.objects.filter(name=valentine.NAME).delete()
    valentine.load(state_apps, None)
    valentine.load(state_apps, None)  # idempotent
    campaign = Campaign.objects.get(name=valentine.NAME)
    assert campaign.status == CampaignStatus.DRAFT and campaign.purpose == "seasonal_care"
    assert campaign.consent_required and campaign.channel == "preferred"
    assert (campaign.starts_at.month, campaign.starts_at.day) == (2, 8)
    assert (campaign.ends_at.month, campaign.ends_at.day) == (2, 15)
    created = campaign.history.get(history_type="+")
    assert created.history_user_id == system_user().pk, list(campaign.history.values("history_type", "history_user_id"))
    assert valentine.next_valentines(date(2027, 2, 15)) == date(2028, 2, 14)
    assert valentine.next_valentines(date(2027, 2, 14)) == date(2027, 2, 14)


def test_supervisor_creates_previews_launches_and_the_tick_sends_once_through_the_gate(
        client, supervisor, django_capture_on_commit_callbacks):
    creditor = CreditorFactory()
    yes = contactable_account(creditor, channels=("sms",))
    no_consent = contactable_account(creditor, channels=())
    client.force_login(supervisor)
    response = client.post(reverse("outreach:campaign-create"), _form(creditor=creditor.pk))
    campaign = Campaign.objects.get(name="Care week")
    assert response.status_code == 302 and campaign.status == CampaignStatus.DRAFT
    page = client.get(reverse("outreach:campaign-detail", args=[campaign.pk]))
    assert "1 account" in page.content.decode()  # consent required: only the customer who said yes
    client.post(reverse("outreach:campaign-action", args=[campaign.pk, "launch"]))
    client.post(reverse("outreach:campaign-action", args=[campaign.pk, "launch"]))  # a double click
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING and campaign.launched_by == supervisor
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            campaign_tick(at=LAGOS_NOON.isoformat())
    sent = Message.objects.get(idempotency_key=f"campaign:{campaign.pk}:{yes.pk}")
    assert sent.source == "campaign" and sent.purpose == "seasonal_care"
    assert DevOutboxEntry.objects.filter(message=sent).count() == 1
    assert not Message.objects.filter(account=no_consent).exists()
    client.post(reverse("outreach:campaign-action", args=[campaign.pk, "pause"]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PAUSED


def test_bad_campaign_input_is_refused_plainly(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("outreach:campaign-create"), _form(
        balance_min="500", balance_max="100", ends_at=(LAGOS_NOON - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    body = response.content.decode()
    assert "must not be below its bottom" in body and "must end after it starts" in body
    assert not Campaign.objects.filter(name="Care week").exists()
    assert client.post(reverse("outreach:campaign-action", args=[999999, "launch"])).status_code == 404


def test_agents_cannot_reach_supervisor_pages(client, agent):
    client.force_login(agent)
    for name in ("outreach:campaign-list", "outreach:campaign-create", "outreach:cadence-list"):
        assert client.get(reverse(name)).status_code == 403


def test_cadence_pages_show_steps_and_chart_with_bounded_queries(client, supervisor, django_assert_max_num_queries):
    cadence_defaults_load(actor=system_user())
    for n in range(3):
        cadence_create(actor=system_user(), name=f"Extra {n}", slug=f"extra-{n}", steps=[
            {"anchor": "placement", "offset_days": n, "channel": "sms", "purpose": "friendly_reminder"}])
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outreach:cadence-list"))
    assert response.status_code == 200 and "Friendly reminders" in response.content.decode()
    cadence = cadence_create(actor=system_user(), name="Chart", slug="chart", steps=[
        {"anchor": "placement", "offset_days": 0, "channel": "sms", "purpose": "friendly_reminder"}])
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("outreach:cadence-detail", args=[cadence.pk]))
    assert detail.status_code == 200
    assert 'id="cadence-chart-data"' in detail.content.decode() and "chart.umd.js" in detail.content.decode()
    assert not CadenceDelivery.objects.exists()


def test_api_agents_read_supervisors_write(agent_api, supervisor_api, django_assert_max_num_queries):
    cadence_defaults_load(actor=system_user())
    with django_assert_max_num_queries(10):
        listed = agent_api.get("/api/cadences/")
    assert listed.status_code == 200 and {c["slug"] for c in listed.json()["results"]} >= {"friendly-reminders"}
    payload = {"name": "API week", "purpose": "seasonal_care", "channel": "sms",
               "starts_at": (LAGOS_NOON - timedelta(days=1)).isoformat(),
               "ends_at": (LAGOS_NOON + timedelta(days=1)).isoformat()}
    assert agent_api.post("/api/campaigns/", payload, format="json").status_code == 403
    created = supervisor_api.post("/api/campaigns/", payload, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert agent_api.get(f"/api/campaigns/{pk}/audience/").json() == {"accounts": 0}
    assert supervisor_api.post(f"/api/campaigns/{pk}/launch/").json()["status"] == "running"
    edit = supervisor_api.patch(f"/api/campaigns/{pk}/", {"name": "Renamed"}, format="json")
    assert edit.status_code == 400 and "Pause the campaign" in str(edit.json())
    cadence = listed.json()["results"][0]["id"]
    off = supervisor_api.post(f"/api/cadences/{cadence}/activation/", {"is_active": False}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False
