"""Receiving provider webhooks: verify the Stripe-scheme signature, store the event once by its id, and
hand processing to a Celery task after commit. Stripe's endpoint and the offline gateway both call
``webhook_receive``, so both travel exactly the same path."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from collections_crm.history import system_user
from compliance.audit import audit_record

from .gateways import SignatureError, get_gateway
from .models import ProviderEvent

log = logging.getLogger(__name__)


def _object_id(event: dict) -> str:
    obj = (event.get("data") or {}).get("object") or {}
    return str(obj.get("payment_intent") or obj.get("id") or "")[:255]


def webhook_receive(*, provider: str, payload: bytes, signature: str | None) -> tuple[int, dict]:
    """Returns (HTTP status, body). Bad or missing signature → 400 and an audit entry; a replay → 200
    and nothing else; a new event → stored, processing enqueued after commit, 200."""
    try:
        event = get_gateway().verify_event(payload, signature)
    except SignatureError as exc:
        with transaction.atomic():
            audit_record(actor=system_user(), action="webhook.forged", payload={
                "provider": provider, "reason": str(exc)[:200], "bytes": len(payload),
            })
        return 400, {"detail": "The webhook signature could not be verified."}
    event_id = str(event.get("id") or "")
    if not event_id or not event.get("type"):
        return 400, {"detail": "The event has no id or type."}
    from .tasks import process_provider_event

    try:
        with transaction.atomic():
            stored = ProviderEvent.objects.create(
                provider=provider, event_id=event_id[:255], type=str(event["type"])[:80],
                object_id=_object_id(event), payload=event, provider_created=int(event.get("created") or 0),
            )
            transaction.on_commit(lambda: process_provider_event.delay(stored.pk))
    except IntegrityError:
        return 200, {"received": True, "duplicate": True}
    return 200, {"received": True, "duplicate": False}

