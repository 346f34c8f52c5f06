"""API: authentication, role permissions, filtering, ordering, cursor pagination, clean 400s."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import (
    AccountFactory,
    CaseFactory,
    CreditorFactory,
    CustomerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_or_403(api_client):
    for name in ("creditor-list", "customer-list", "account-list", "case-list"):
        response = api_client.get(reverse(name))
        assert response.status_code in (401, 403), name


def test_user_without_role_is_refused():
    client = APIClient()
    client.force_authenticate(UserFactory(username="no.role"))
    assert client.get(reverse("account-list")).status_code == 403


def test_token_authentication(agent, account):
    token = Token.objects.create(user=agent)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(reverse("account-list"))
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [account.reference]


def test_agent_reads_but_cannot_create_creditor(agent_api):
    assert agent_api.get(reverse("creditor-list")).status_code == 200
    response = agent_api.post(reverse("creditor-list"), {"slug": "x"}, format="json")
    assert response.status_code == 403


def test_supervisor_creates_creditor_with_history(supervisor_api, supervisor):
    payload = {
        "slug": "abuja-telecom", "name": "Abuja Telecom plc", "display_name": "Abuja Mobile", "country": "NG",
        "currency": "NGN", "default_phone_region": "NG", "high_value_threshold": "750000.00",
    }
    response = supervisor_api.post(reverse("creditor-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    from accounts.models import Creditor

    creditor = Creditor.objects.get(slug="abuja-telecom")
    assert creditor.history.first().history_user == supervisor


def test_invalid_creditor_is_a_clean_400(supervisor_api):
    payload = {
        "slug": "bad", "name": "Bad", "display_name": "Bad", "country": "NG", "currency": "QQQ",
        "default_phone_region": "NG", "high_value_threshold": "-5", "brand_primary": "red",
    }
    response = supervisor_api.post(reverse("creditor-list"), payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "high_value_threshold" in body or "currency" in body or "brand_primary" in body


def test_account_filters_and_cursor_pagination(agent_api):
    creditor = CreditorFactory(slug="lagos-power")
    other = CreditorFactory(slug="retail-co")
    for i in range(7):
        AccountFactory(creditor=creditor, reference=f"LP{i}")
    AccountFactory(creditor=other, reference="RC1")
    url = reverse("account-list")
    response = agent_api.get(url, {"creditor": "lagos-power", "page_size": 3, "ordering": "reference"})
    assert response.status_code == 200
    body = response.json()
    assert [r["reference"] for r in body["results"]] == ["LP0", "LP1", "LP2"]
    seen = [r["reference"] for r in body["results"]]
    while body["next"]:
        body = agent_api.get(body["next"]).json()
        seen += [r["reference"] for r in body["results"]]
    assert seen == [f"LP{i}" for i in range(7)]


def test_case_filter_by_queue(agent_api):
    CaseFactory(queue="disputes", routing_reason="dispute")
    CaseFactory()
    response = agent_api.get(reverse("case-list"), {"queue": "disputes"})
    assert [c["queue"] for c in response.json()["results"]] == ["disputes"]


def test_customer_name_filter(agent_api):
    CustomerFactory(first_name="Chiamaka", last_name="Obi")
    CustomerFactory(first_name="John", last_name="Smith")
    response = agent_api.get(reverse("customer-list"), {"name": "chiam"})
    assert [c["first_name"] for c in response.json()["results"]] == ["Chiamaka"]


def test_schema_and_docs_render(agent_api, client, agent):
    assert agent_api.get(reverse("api-schema")).status_code == 200
    client.force_login(agent)
    assert client.get(reverse("api-docs")).status_code == 200


def test_list_query_count_is_bounded(agent_api, django_assert_max_num_queries):
    creditor = CreditorFactory(slug="bounded")
    for i in range(30):
        CaseFactory(account=AccountFactory(creditor=creditor, reference=f"B{i}"))
    with django_assert_max_num_queries(6):
        assert agent_api.get(reverse("case-list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert agent_api.get(reverse("account-list")).status_code == 200
