"""Back-office pages require a role; history records the user who acted through a request."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_home_refuses_user_without_role(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("home")).status_code == 403


def test_home_for_agent(client, agent):
    client.force_login(agent)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "My open cases" in response.content.decode()


def test_admin_change_is_attributed_to_request_user(client, admin_user, creditor):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:accounts_creditor_change", args=[creditor.pk])
    data = {
        "slug": creditor.slug, "name": creditor.name, "display_name": "Lagos Power (new)", "country": "NG",
        "currency": "NGN", "default_phone_region": "NG", "high_value_threshold": "600000.00",
        "brand_primary": "#1f5f8b", "brand_accent": "#f0a202", "default_language": "en",
        "min_instalment_amount": "5.00", "max_plan_months": "12", "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = creditor.history.first()
    assert record.display_name == "Lagos Power (new)"
    assert record.history_user == admin_user


def test_role_groups_exist_with_permissions(db):
    from django.contrib.auth.models import Group

    agent = Group.objects.get(name="agent")
    supervisor = Group.objects.get(name="supervisor")
    assert agent.permissions.filter(codename="view_account").exists()
    assert not agent.permissions.filter(codename="change_creditor").exists()
    assert supervisor.permissions.filter(codename="change_creditor").exists()
    assert User.objects.filter(username="system", is_active=False).exists()
