"""Celery tasks for outreach. Thin: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_message(self, message_id: int) -> str:
    """Send one queued message through its channel back-end (at most once; see
    ``outreach.services.sending.message_send``). Provider errors are retried with exponential
    back-off up to ``OUTREACH_SEND_MAX_RETRIES``, then the message is marked failed."""
    from .services.sending import RetryLater, message_send

    while True:
        try:
            return message_send(message_id=message_id)
        except RetryLater as wait:
            if not self.request.is_eager:
                raise self.retry(countdown=wait.countdown) from None
            # Eager mode (tests, CELERY_TASK_ALWAYS_EAGER) has no broker to wait in: try again now.
            # message_send itself stops after OUTREACH_SEND_MAX_RETRIES.


@shared_task(acks_late=True, ignore_result=True)
def send_messages(message_ids: list[int]) -> dict:
    """Send a batch of queued messages (each at most once; see
    ``outreach.services.sending.message_send_many``). A provider error for one message re-enqueues only
    that one with ``send_message``'s back-off."""
    from .services.sending import message_send_many

    return {state: len(ids) for state, ids in message_send_many(message_ids=message_ids).items()}


@shared_task(ignore_result=True)
def reconcile_stuck_messages() -> int:
    """Settle messages a dead worker left in "sending" (see ``message_reconcile_stuck``)."""
    from .services.sending import message_reconcile_stuck

    return message_reconcile_stuck()
