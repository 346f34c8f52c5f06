"""Helpers that build Stripe-shaped events and deliver them signed, through the real webhook view."""

import json
import time

from django.conf import settings
from django.test import TestCase

from collections_crm import money
from payments.gateways.offline import build_event, intent_object
from payments.gateways.stripe_client import sign_payload

WEBHOOK_URL = "/payments/webhooks/stripe/"


def post_event(client, event: dict, *, secret: str | None = None, signature: str | None = None):
    payload = json.dumps(event)
    header = signature if signature is not None else sign_payload(payload, secret or settings.STRIPE_WEBHOOK_SECRET)
    # Processing is enqueued on commit; run those callbacks (eager Celery) inside the test transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def succeeded(account, amount, *, intent="pi_1", event_id=None, currency=None, created=None):
    currency = currency or account.currency
    obj = intent_object(intent_id=intent, amount_minor=money.to_minor(amount, currency), currency=currency,
                        metadata={"account_id": str(account.pk)}, status="succeeded")
    return build_event("payment_intent.succeeded", obj, event_id=event_id, created=created or int(time.time()))


def failed(account, amount, *, intent="pi_1", event_id=None):
    obj = intent_object(intent_id=intent, amount_minor=money.to_minor(amount, account.currency),
                        currency=account.currency, metadata={"account_id": str(account.pk)},
                        status="requires_payment_method", error="Your card was declined.")
    return build_event("payment_intent.payment_failed", obj, event_id=event_id)


def refunded(account, amount, *, intent="pi_1", refund_id="re_1", event_id=None):
    units = money.to_minor(amount, account.currency)
    obj = {"id": "ch_" + intent, "object": "charge", "payment_intent": intent, "amount_refunded": units,
           "currency": account.currency.lower(), "metadata": {"account_id": str(account.pk)},
           "refunds": {"object": "list", "data": [{"id": refund_id, "amount": units}]}}
    return build_event("charge.refunded", obj, event_id=event_id)


def dispute(account, amount, *, intent="pi_1", dispute_id="dp_1", closed_status=None):
    obj = {"id": dispute_id, "object": "dispute", "payment_intent": intent, "charge": "ch_" + intent,
           "amount": money.to_minor(amount, account.currency), "currency": account.currency.lower(),
           "status": closed_status or "needs_response", "reason": "fraudulent"}
    return build_event("charge.dispute.closed" if closed_status else "charge.dispute.created", obj)
