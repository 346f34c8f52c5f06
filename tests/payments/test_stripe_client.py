"""The Stripe gateway through the real SDK: its HTTP layer answered by recorded Stripe responses
(tests/payments/fixtures/stripe/), so the SDK builds every request and parses every response; webhooks
signed with the SDK's own scheme against the configured secret."""

import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from django.test import TestCase

from payments.choices import PaymentStatus
from payments.gateways import use_gateway
from payments.gateways.stripe_client import HTTPClient, StripeGateway, construct_event, sign_payload
from payments.models import CheckoutSession, Payment, SavedPaymentMethod
from payments.services import checkout_start

from .factories import WEBHOOK_URL

FIXTURES = Path(__file__).parent / "fixtures" / "stripe"
SECRET = "whsec_test_recorded_0123456789"


def fixture(name: str, **ids) -> str:
    text = (FIXTURES / name).read_text()
    for key, value in ids.items():
        text = text.replace(f'"{key}": "1"', f'"{key}": "{value}"')
    return text


class RecordedHTTPClient(HTTPClient):
    """Answers Stripe API calls from recorded responses and keeps what the SDK sent."""

    name = "recorded"

    def __init__(self, answers: dict[tuple[str, str], tuple[str, int]]):
        super().__init__()
        self.answers = answers
        self.sent: list[dict] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = url.split("api.stripe.com", 1)[-1]
        self.sent.append({"method": method, "path": path, "headers": dict(headers or {}),
                          "params": parse_qs(post_data or "")})
        body, status = self.answers[(method.upper(), path)]
        return body, status, {"request-id": "req_recorded"}

    def close(self):
        pass


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_recorded"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    yield
    use_gateway(None)


@pytest.mark.django_db
def test_checkout_session_is_built_by_the_sdk(stripe_settings, agent, account):
    http = RecordedHTTPClient({("POST", "/v1/checkout/sessions"): (
        fixture("checkout_session_create.json", account_id=account.pk), 200)})
    use_gateway(StripeGateway(api_key="sk_test_recorded", http_client=http))
    session = checkout_start(actor=agent, account=account, amount=Decimal("2500.00"), idempotency_key="k1")
    again = checkout_start(actor=agent, account=account, amount=Decimal("2500.00"), idempotency_key="k1")
    assert session.pk == again.pk and len(http.sent) == 1  # a double click makes one Stripe call
    assert session.url.startswith("https://checkout.stripe.com/")
    sent = http.sent[0]
    # Conversion to Stripe's integer minor units happens once, in the gateway.
    assert sent["params"]["line_items[0][price_data][unit_amount]"] == ["250000"]
    assert sent["params"]["line_items[0][price_data][currency]"] == ["ngn"]
    assert sent["params"]["metadata[account_id]"] == [str(account.pk)]
    assert sent["headers"]["Idempotency-Key"] == session.idempotency_key
    assert sent["headers"]["Authorization"] == "Bearer sk_test_recorded"


@pytest.mark.django_db
def test_off_session_charge_success_and_decline(stripe_settings):
    ok = RecordedHTTPClient({("POST", "/v1/payment_intents"): (fixture("payment_intent_create_succeeded.json"), 200)})
    result = StripeGateway(api_key="sk_test_recorded", http_client=ok).charge_saved_method(
        customer_id="cus_QabcDEF123", method_id="pm_1PcardABC", amount=Decimal("14000.00"), currency="NGN",
        metadata={"account_id": "1"}, idempotency_key="plan1:inst1:try0")
    assert result.status == "succeeded" and result.payment_id == "pi_3PsuccessXYZ"
    assert ok.sent[0]["params"]["off_session"] == ["true"] and ok.sent[0]["params"]["amount"] == ["1400000"]
    declined = RecordedHTTPClient({("POST", "/v1/payment_intents"): (fixture("payment_intent_create_declined.json"), 402)})
    result = StripeGateway(api_key="sk_test_recorded", http_client=declined).charge_saved_method(
        customer_id="cus_QabcDEF123", method_id="pm_1PcardABC", amount=Decimal("14000.00"), currency="NGN",
        metadata={}, idempotency_key="plan1:inst1:try1")
    assert result.status == "failed" and result.payment_id == "pi_3PdeclineXYZ"
    assert "insufficient funds" in result.failure_reason


@pytest.mark.django_db
def test_zero_decimal_currency_amount(stripe_settings):
    http = RecordedHTTPClient({("POST", "/v1/refunds"): (fixture("refund_create.json"), 200)})
    StripeGateway(api_key="sk_test_recorded", http_client=http).refund(
        payment_id="pi_3PsuccessXYZ", amount=Decimal("3000"), currency="JPY", idempotency_key="r1")
    assert http.sent[0]["params"]["amount"] == ["3000"]


@pytest.mark.django_db
def test_recorded_stripe_events_through_the_webhook(stripe_settings, client, account):
    use_gateway(StripeGateway(api_key="sk_test_recorded", http_client=RecordedHTTPClient({})))
    CheckoutSession.objects.create(account=account, provider="stripe", provider_session_id="cs_test_a1B2c3D4e5F6g7H8i9J0",
                                   idempotency_key="x", amount=Decimal("2500.00"), currency="NGN",
                                   url="https://checkout.stripe.com/c/pay/x")
    for name, ids in [("event_checkout_session_completed.json", {"account_id": account.pk}),
                      ("event_payment_method_attached.json", {"customer_id": account.customer_id})]:
        payload = fixture(name, **ids)
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(WEBHOOK_URL, data=payload, content_type="application/json",
                                   HTTP_STRIPE_SIGNATURE=sign_payload(payload, SECRET))
        assert response.status_code == 200
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == Decimal("2500.00")
    assert payment.checkout_session.status == "complete"
    method = SavedPaymentMethod.objects.get()
    assert (method.brand, method.last4, method.exp_month, method.exp_year) == ("visa", "4242", 12, 2027)
    # Signed with the offline default secret instead of the configured one: refused.
    payload = fixture("event_checkout_session_completed.json", account_id=account.pk)
    forged = client.post(WEBHOOK_URL, data=payload, content_type="application/json",
                         HTTP_STRIPE_SIGNATURE=sign_payload(payload, "whsec_offline_local_only"))
    assert forged.status_code == 400


def test_construct_event_rejects_stale_timestamps():
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "x", "data": {"object": {}}})
    from payments.gateways import SignatureError

    with pytest.raises(SignatureError):
        construct_event(payload.encode(), sign_payload(payload, SECRET, timestamp=1_000_000), SECRET)
    assert construct_event(payload.encode(), sign_payload(payload, SECRET), SECRET)["id"] == "evt_1"


@pytest.mark.django_db
def test_card_setup_creates_customer_and_setup_session(stripe_settings, agent, account):
    from payments.services import card_setup_start

    http = RecordedHTTPClient({
        ("POST", "/v1/customers"): (fixture("customer_create.json", customer_id=account.customer_id), 200),
        ("POST", "/v1/checkout/sessions"): (fixture("checkout_session_create_setup.json"), 200),
    })
    use_gateway(StripeGateway(api_key="sk_test_recorded", http_client=http))
    url = card_setup_start(actor=agent, customer=account.customer, currency="NGN", idempotency_key="k")
    assert url.startswith("https://checkout.stripe.com/")
    setup = http.sent[1]["params"]
    assert setup["mode"] == ["setup"] and setup["customer"] == ["cus_QabcDEF123"]
    assert setup["setup_intent_data[metadata][customer_id]"] == [str(account.customer_id)]
