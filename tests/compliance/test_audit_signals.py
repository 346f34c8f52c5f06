"""Sign-ins, sign-outs, failed sign-ins and Django admin changes land in the audit chain, without
passwords."""

import json

import pytest
from django.urls import reverse

from compliance.audit import audit_verify_chain
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_and_logout_are_recorded(client, agent):
    response = client.post(reverse("login"), {"username": agent.username, "password": "pass-word-123"})
    assert response.status_code == 302
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.values_list("action", "actor_username"))
    assert actions == [("auth.login", agent.username), ("auth.logout", agent.username)]
    assert audit_verify_chain().ok


def test_failed_login_keeps_username_not_password(client, agent):
    client.post(reverse("login"), {"username": agent.username, "password": "guess-Secret-99"})
    event = AuditEvent.objects.get()
    assert event.action == "auth.login_failed"
    assert event.actor_id is None
    assert event.payload["username"] == agent.username
    assert "guess-Secret-99" not in json.dumps(event.payload)


def test_admin_change_is_recorded(client, admin_user, creditor):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    data = {
        "slug": creditor.slug, "name": creditor.name, "display_name": "Lagos Power (new)", "country": "NG",
        "currency": "NGN", "default_phone_region": "NG", "high_value_threshold": "600000.00",
        "brand_primary": "#1f5f8b", "brand_accent": "#f0a202", "default_language": "en",
        "min_instalment_amount": "5.00", "max_plan_months": "12", "is_active": "on",
    }
    response = client.post(reverse("admin:accounts_creditor_change", args=[creditor.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor_id == admin_user.pk
    assert (event.object_type, event.object_id) == ("accounts.creditor", str(creditor.pk))
    assert event.creditor_id == creditor.pk
    assert "Display name" in event.payload["change_message"]
    assert "Lagos Power (new)" not in json.dumps(event.payload)  # field names, never values


def test_admin_delete_is_recorded(client, admin_user):
    from tests.accounts.factories import CreditorFactory

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    doomed = CreditorFactory(slug="doomed-co")
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_creditor_delete", args=[doomed.pk]), {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.delete")
    assert (event.object_type, event.object_id) == ("accounts.creditor", str(doomed.pk))
