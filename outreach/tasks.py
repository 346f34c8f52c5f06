"""Celery tasks for outreach. Thin: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_message(self, message_id: int) -> str:
    """Send one queued message through its channel back-end (at most once; see
    ``outreach.services.sending.message_send``). Provider errors are retried with exponential
    back-off up to ``OUTREACH_SEND_MAX_RETRIES``, then the message is marked failed."""
    from .services.sending import RetryLater, message_send

    try:
        return message_send(message_id=message_id)
    except RetryLater as wait:
        raise self.retry(countdown=wait.countdown) from None
