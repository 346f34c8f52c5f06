"""Celery tasks: thin, ids in, services do the work."""

from __future__ import annotations

from celery import shared_task

from collections_crm.errors import ApplicationError


class EventNotReady(Exception):
    """The event depends on something not stored yet (e.g. a checkout from another node); retry."""


@shared_task(
    bind=True, acks_late=True, autoretry_for=(EventNotReady, ConnectionError), retry_backoff=True,
    retry_backoff_max=600, max_retries=8, soft_time_limit=60, time_limit=90,
)
def process_provider_event(self, event_pk: int) -> str:
    """Process one stored webhook event; idempotent (a processed event is skipped)."""
    from .services.events import event_process

    try:
        return event_process(event_pk=event_pk)
    except ApplicationError:
        return "failed"


@shared_task(acks_late=True)
def plans_daily() -> dict:
    """Reminders before instalments, missed-instalment detection with grace, autopay retries."""
    from .services.plans import plans_run_daily

    return plans_run_daily()


@shared_task(acks_late=True)
def promises_daily() -> dict:
    """Promises due soon are flagged for a reminder; promises past their date are checked."""
    from .services.promises import promises_run_daily

    return promises_run_daily()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_receipt(receipt_pk: int) -> str:
    """Send (queue through the gate) one payment's receipt; safe to run twice."""
    from collections_crm.history import system_user

    from .models import Receipt
    from .services.receipts import receipt_send

    receipt = Receipt.objects.filter(pk=receipt_pk).first()
    if receipt is None:
        return "gone"
    message = receipt_send(receipt=receipt, actor=system_user())
    return message.status if message is not None else "no channel"
