"""Stripe. The ONLY module that imports ``stripe``. Uses the SDK's StripeClient (v1 namespace) so tests
can answer its HTTP layer with recorded responses (``http_client=``) while the SDK still builds the
requests and parses the responses; webhook signatures use the SDK's own scheme."""

from __future__ import annotations

import json
from decimal import Decimal

import stripe
from django.conf import settings

from .base import ChargeResult, CheckoutResult, Gateway, GatewayError, SignatureError, to_provider_amount

HTTPClient = stripe.HTTPClient  # re-exported for recorded-response clients in tests


def construct_event(payload: bytes, signature: str | None, secret: str | None = None) -> dict:
    """Verify a webhook with the SDK's signature check (the one stripe.Webhook.construct_event runs:
    HMAC-SHA256 over ``t.payload``, 5-minute tolerance) and return the event as a plain dict. We parse
    the JSON ourselves because every consumer wants plain dicts, not StripeObjects."""
    if not signature:
        raise SignatureError("No Stripe-Signature header.")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature, secret or settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
        )
        event = json.loads(text)
    except stripe.SignatureVerificationError as exc:
        raise SignatureError(str(exc) or "The signature does not match.") from None
    except (ValueError, UnicodeDecodeError, IndexError) as exc:
        raise SignatureError(f"The event could not be read: {exc}") from None
    if not isinstance(event, dict):
        raise SignatureError("The event is not a JSON object.")
    return event


def sign_payload(payload: str, secret: str | None = None, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header (``t=…,v1=…``) made with the SDK's scheme — used by the offline
    gateway so its events travel the very same verification path as Stripe's."""
    return stripe.WebhookSignature.generate_signature_header(
        payload, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )


class StripeGateway(Gateway):
    """Checkout Sessions for one-off payments; Customer + SetupIntent (Checkout in setup mode) for
    autopay; off-session PaymentIntents for plan instalments; refunds."""

    name = "stripe"

    def __init__(self, *, api_key: str | None = None, http_client=None):
        self.client = stripe.StripeClient(
            api_key or settings.STRIPE_SECRET_KEY, http_client=http_client, max_network_retries=2
        )

    def _call(self, func, params, idempotency_key):
        try:
            return func(params=params, options={"idempotency_key": idempotency_key})
        except stripe.StripeError as exc:
            raise GatewayError(getattr(exc, "user_message", None) or str(exc)) from None

    def create_checkout(self, *, amount, currency, description, metadata, success_url, cancel_url,
                        idempotency_key) -> CheckoutResult:
        session = self._call(self.client.v1.checkout.sessions.create, {
            "mode": "payment",
            "line_items": [{
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": to_provider_amount(amount, currency),
                    "product_data": {"name": description},
                },
            }],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(metadata.get("account_id", "")),
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
        }, idempotency_key)
        return CheckoutResult(session_id=session.id, url=session.url)

    def create_customer(self, *, name, email, metadata) -> str:
        customer = self._call(self.client.v1.customers.create, {
            "name": name, "email": email or None, "metadata": metadata,
        } if email else {"name": name, "metadata": metadata}, f"customer-{metadata.get('customer_id')}")
        return customer.id

    def create_setup(self, *, customer_id, metadata, success_url, cancel_url, idempotency_key) -> CheckoutResult:
        session = self._call(self.client.v1.checkout.sessions.create, {
            "mode": "setup",
            "currency": metadata.get("currency", "usd").lower(),
            "customer": customer_id,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "setup_intent_data": {"metadata": metadata},
        }, idempotency_key)
        return CheckoutResult(session_id=session.id, url=session.url)

    def charge_saved_method(self, *, customer_id, method_id, amount, currency, metadata,
                            idempotency_key) -> ChargeResult:
        try:
            intent = self.client.v1.payment_intents.create(params={
                "amount": to_provider_amount(amount, currency),
                "currency": currency.lower(),
                "customer": customer_id,
                "payment_method": method_id,
                "off_session": True,
                "confirm": True,
                "metadata": metadata,
            }, options={"idempotency_key": idempotency_key})
        except stripe.CardError as exc:
            # Off-session declines come back as 402 errors carrying the PaymentIntent.
            intent = exc.error.payment_intent if exc.error else None
            intent_id = intent.id if intent is not None else ""
            return ChargeResult(payment_id=intent_id, status="failed", failure_reason=exc.user_message or "")
        except stripe.StripeError as exc:
            raise GatewayError(getattr(exc, "user_message", None) or str(exc)) from None
        return ChargeResult(payment_id=intent.id, status=intent.status)

    def refund(self, *, payment_id, amount: Decimal, currency, idempotency_key) -> str:
        refund = self._call(self.client.v1.refunds.create, {
            "payment_intent": payment_id, "amount": to_provider_amount(amount, currency),
        }, idempotency_key)
        return refund.id
