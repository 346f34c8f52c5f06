"""Starting a payment (pay links), the offline checkout page, and the payments API, incl. bad input."""

from decimal import Decimal

import pytest
from django.test import TestCase

from accounts.choices import AccountStatus
from compliance.evidence import evidence_sections
from payments.choices import CheckoutStatus, PaymentStatus
from payments.models import CheckoutSession, Payment, ProviderEvent
from payments.services import reconcile

pytestmark = pytest.mark.django_db
URL = "/api/payments/checkout/"


def _start(api, account, amount, key="click-1", **extra):
    return api.post(URL, {"account": account.pk, "amount": amount, "idempotency_key": key, **extra}, format="json")


def test_double_click_returns_the_same_checkout(agent_api, account):
    first = _start(agent_api, account, "1000.00")
    second = _start(agent_api, account, "1000.00")
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["url"] == second.json()["url"]
    assert CheckoutSession.objects.count() == 1
    assert "/pay/offline/" in first.json()["url"]


@pytest.mark.parametrize(
    "amount, extra, code",
    [
        ("0", {}, "amount_not_positive"),
        ("-5.00", {}, "amount_not_positive"),
        ("42000.01", {}, "amount_above_balance"),
        ("100.00", {"currency": "USD"}, "currency_mismatch"),
        ("0.50", {}, "amount_below_minimum"),
    ],
)
def test_bad_amounts_are_clean_400s(agent_api, account, amount, extra, code):
    response = _start(agent_api, account, amount, **extra)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]
    assert CheckoutSession.objects.count() == 0


def test_offline_checkout_page_pays_through_the_webhook_path(client, agent_api, account):
    url = _start(agent_api, account, "2000.00").json()["url"]
    path = url.split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and "Pay now" in page.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(path, {"outcome": "succeed"})
    assert done.status_code == 302
    done = client.get(done["Location"])
    payment = Payment.objects.get()
    assert payment.confirmation_number in done.content.decode()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.checkout_session.status == CheckoutStatus.COMPLETE
    assert set(ProviderEvent.objects.values_list("type", flat=True)) == {
        "checkout.session.completed", "payment_intent.succeeded"}
    # A second click on 'pay' on the same page charges nothing more.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(path, {"outcome": "succeed"})
    account.refresh_from_db()
    assert account.balance == Decimal("40000.00") and Payment.objects.count() == 1
    assert reconcile()[1] == []


def test_offline_decline_records_failure_and_charges_nothing(client, agent_api, account):
    path = _start(agent_api, account, "2000.00").json()["url"].split("127.0.0.1:8000", 1)[-1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(path, {"outcome": "decline"}, follow=True)
    assert "did not go through" in page.content.decode()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED and "declined" in payment.failure_reason
    account.refresh_from_db()
    assert account.balance == Decimal("42000.00")


def test_paying_in_full_marks_paid_and_closes_case(client, agent_api, account):
    path = _start(agent_api, account, "42000.00").json()["url"].split("127.0.0.1:8000", 1)[-1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(path, {"outcome": "succeed"})
    account.refresh_from_db()
    assert account.status == AccountStatus.PAID and account.case.status == "closed"
    assert _start(agent_api, account, "1.00", key="again").status_code == 400


def test_payments_list_and_evidence(client, agent_api, account):
    path = _start(agent_api, account, "2000.00").json()["url"].split("127.0.0.1:8000", 1)[-1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(path, {"outcome": "succeed"})
    listed = agent_api.get(f"/api/payments/?account={account.pk}").json()["results"]
    assert len(listed) == 1 and listed[0]["confirmation_number"]
    sections = {s.key: list(s.rows(account)) for s in evidence_sections()}
    assert sections["payments"][0]["confirmation_number"] == listed[0]["confirmation_number"]
    assert sections["receipts"][0]["text"]


def test_anonymous_cannot_use_the_api(api_client, account):
    assert _start(api_client, account, "10.00").status_code in (401, 403)
