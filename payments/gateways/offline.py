"""The offline gateway: a local checkout page that can succeed, decline or fail. Its results are
Stripe-shaped events, signed with the Stripe scheme and handed to the same webhook receiver as real
Stripe deliveries, so demos and tests exercise the real path."""

from __future__ import annotations

import json
import secrets
import time
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from .base import ChargeResult, CheckoutResult, Gateway, to_provider_amount
from .stripe_client import sign_payload

DECLINE_LAST4 = "0002"  # like Stripe's test card 4000 0000 0000 0002


def _id(prefix: str) -> str:
    return f"{prefix}_off_{secrets.token_hex(10)}"


def build_event(event_type: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> dict:
    return {
        "id": event_id or _id("evt"),
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "livemode": False,
        "api_version": "2024-06-20",
        "data": {"object": obj},
    }


def deliver(event: dict) -> tuple[int, dict]:
    """Sign ``event`` like Stripe does and pass it to the webhook receiver (the same code the HTTP
    endpoint runs). Returns the receiver's (status, body)."""
    from ..webhooks import webhook_receive

    payload = json.dumps(event)
    return webhook_receive(provider="offline", payload=payload.encode(), signature=sign_payload(payload))


def intent_object(*, intent_id: str, amount_minor: int, currency: str, metadata: dict, status: str,
                  error: str = "", customer: str | None = None, method: str | None = None) -> dict:
    obj = {
        "id": intent_id, "object": "payment_intent", "amount": amount_minor, "amount_received":
        amount_minor if status == "succeeded" else 0, "currency": currency.lower(), "status": status,
        "metadata": metadata, "latest_charge": intent_id.replace("pi_", "ch_", 1), "customer": customer,
        "payment_method": method,
    }
    if error:
        obj["last_payment_error"] = {"code": "card_declined", "message": error}
    return obj


def checkout_outcome_events(*, session_id: str, amount_minor: int, currency: str, metadata: dict,
                            outcome: str) -> list[dict]:
    """The events Stripe would send when the customer pays (or fails to) on a checkout page."""
    intent_id = "pi_" + session_id.removeprefix("cs_")
    if outcome == "succeed":
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment", "payment_status": "paid",
            "status": "complete", "amount_total": amount_minor, "currency": currency.lower(),
            "payment_intent": intent_id, "metadata": metadata,
        }
        intent = intent_object(intent_id=intent_id, amount_minor=amount_minor, currency=currency,
                               metadata=metadata, status="succeeded")
        return [build_event("checkout.session.completed", session), build_event("payment_intent.succeeded", intent)]
    message = "Your card was declined." if outcome == "decline" else "The payment could not be processed."
    intent = intent_object(intent_id=intent_id, amount_minor=amount_minor, currency=currency, metadata=metadata,
                           status="requires_payment_method", error=message)
    return [build_event("payment_intent.payment_failed", intent)]


class OfflineGateway(Gateway):
    name = "offline"

    def create_checkout(self, *, amount, currency, description, metadata, success_url, cancel_url,
                        idempotency_key) -> CheckoutResult:
        session_id = _id("cs")
        url = settings.SITE_URL.rstrip("/") + reverse("payments:offline-checkout", args=[session_id])
        # Like Stripe's success_url: the page sends the customer back to where the checkout started.
        back = urlsplit(success_url).path
        if back and back != reverse("payments:checkout-result"):
            url += "?" + urlencode({"next": back})
        return CheckoutResult(session_id=session_id, url=url)

    def create_customer(self, *, name, email, metadata) -> str:
        return f"cus_off_{metadata.get('customer_id')}"

    def create_setup(self, *, customer_id, metadata, success_url, cancel_url, idempotency_key) -> CheckoutResult:
        session_id = _id("cs")
        url = settings.SITE_URL.rstrip("/") + reverse("payments:offline-checkout", args=[session_id])
        return CheckoutResult(session_id=session_id, url=url)

    def charge_saved_method(self, *, customer_id, method_id, amount: Decimal, currency, metadata,
                            idempotency_key) -> ChargeResult:
        """Charges succeed unless the card ends in 0002; the result arrives as a webhook after commit."""
        from ..models import SavedPaymentMethod

        method = SavedPaymentMethod.objects.filter(provider_method_id=method_id).first()
        declined = bool(method and method.last4 == DECLINE_LAST4)
        intent_id = "pi_off_" + idempotency_key.replace(":", "_")[:60]
        obj = intent_object(
            intent_id=intent_id, amount_minor=to_provider_amount(amount, currency), currency=currency,
            metadata=metadata, status="requires_payment_method" if declined else "succeeded",
            error="Your card was declined." if declined else "", customer=customer_id, method=method_id,
        )
        event = build_event("payment_intent.payment_failed" if declined else "payment_intent.succeeded", obj)
        transaction.on_commit(lambda: deliver(event))
        return ChargeResult(payment_id=intent_id, status="failed" if declined else "processing",
                            failure_reason=obj.get("last_payment_error", {}).get("message", ""))

    def refund(self, *, payment_id, amount, currency, idempotency_key) -> str:
        refund_id = _id("re")
        charge = {
            "id": payment_id.replace("pi_", "ch_", 1), "object": "charge", "payment_intent": payment_id,
            "amount_refunded": to_provider_amount(amount, currency), "currency": currency.lower(),
            "refunded": True, "metadata": {},
            "refunds": {"object": "list", "data": [{"id": refund_id, "amount": to_provider_amount(amount, currency)}]},
        }
        event = build_event("charge.refunded", charge)
        transaction.on_commit(lambda: deliver(event))
        return refund_id
