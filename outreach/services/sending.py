"""Sending one queued message, at most once.

1. Lock the message; only a ``queued`` one goes on. The gate's guard is asked; an opt-out (or any
   cancelled reservation) since queueing → ``cancelled`` with the reason. Otherwise → ``sending``,
   committed before the provider is called.
2. Hand it to the channel back-end (which asks the guard again) with our idempotency key.
3. Lock again and record ``sent`` with the provider's id; the contact attempt is completed.

If a worker dies between 2 and 3 the task is delivered again (``acks_late``) and finds the message in
``sending``: it is reconciled — the back-end is asked whether it went (``lookup``) — never re-sent
blindly. A provider that cannot tell leaves it to the delivery callback (which carries our message id)
or to ``message_reconcile_stuck``, which marks it failed-unconfirmed after a while, still counting the
attempt against the caps (it may have gone)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.choices import Channel
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import AttemptStatus
from compliance.services import ContactBlocked

from ..backends import ProviderError, backend_for
from ..choices import MessageStatus
from ..models import Message
from .messages import message_transition

RETRY_BASE_SECONDS = 10
STUCK_AFTER = timedelta(minutes=15)


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    def __init__(self, countdown: int):
        super().__init__(countdown)
        self.countdown = countdown


def _locked(message_id: int) -> Message | None:
    return (Message.objects.select_for_update(of=("self",)).select_related("contact_attempt")
            .filter(pk=message_id).first())


@transaction.atomic
def _cancel(*, message: Message, actor, reason: str) -> Message:
    attempt = message.contact_attempt
    if attempt is not None and attempt.status == AttemptStatus.RESERVED:
        compliance.contact_attempt_cancel(attempt=attempt, actor=actor, reason=reason)
    message = message_transition(message=message, to=MessageStatus.CANCELLED, actor=actor, status_reason=reason[:200],
                                 reason=f"Cancelled: {reason}"[:100])
    audit_record(actor=actor, action="message.cancelled", obj=message, account=message.account,
                 customer=message.customer, payload={"message_id": message.pk, "reason": reason[:200]})
    return message


def _guard_reason(exc: ContactBlocked, message: Message) -> str:
    attempt = message.contact_attempt
    if attempt is not None:
        attempt.refresh_from_db(fields=["status", "outcome"])
    cancelled_for = attempt.outcome if attempt is not None and attempt.status == AttemptStatus.CANCELLED else ""
    if exc.extra.get("reason") == "opted_out" or cancelled_for == "opted out":
        return "The customer opted out of this channel after it was queued."
    if cancelled_for:
        return f"Its contact reservation was cancelled ({cancelled_for})."
    return exc.message


@transaction.atomic
def _record_sent(*, message_id: int, provider_message_id: str, provider_status: str, actor) -> Message:
    message = _locked(message_id)
    if message.status != MessageStatus.SENDING:
        return message  # a delivery callback got here first; it has recorded what happened
    message = message_transition(message=message, to=MessageStatus.SENT, actor=actor, reason="Sent",
                                 provider_message_id=provider_message_id, provider_status=provider_status, error="")
    if message.channel != Channel.VOICE and message.contact_attempt.status == AttemptStatus.RESERVED:
        compliance.contact_attempt_complete(attempt=message.contact_attempt, outcome="sent", actor=actor)
    return message


@transaction.atomic
def _record_failure(*, message_id: int, error: ProviderError, actor) -> int | None:
    """Back to ``queued`` for another try (returns the countdown), or ``failed`` for good (None)."""
    message = _locked(message_id)
    if message.status != MessageStatus.SENDING:
        return None
    max_retries = settings.OUTREACH_SEND_MAX_RETRIES
    if error.retryable and message.retry_count < max_retries:
        countdown = RETRY_BASE_SECONDS * (2 ** message.retry_count)
        message_transition(message=message, to=MessageStatus.QUEUED, actor=actor, reason="Provider error; retrying",
                           retry_count=message.retry_count + 1, error=error.message[:1000])
        return countdown
    tries = message.retry_count + 1
    plain = (f"Not sent: {error.message} (tried {tries} time{'s' if tries != 1 else ''})."
             if error.retryable else f"Not sent: {error.message}")
    message_transition(message=message, to=MessageStatus.FAILED, actor=actor, reason="Provider error; gave up",
                       error=plain[:1000])
    if message.contact_attempt.status == AttemptStatus.RESERVED:
        compliance.contact_attempt_complete(attempt=message.contact_attempt, outcome="send failed", actor=actor,
                                            sent=False)
    audit_record(actor=actor, action="message.failed", obj=message, account=message.account,
                 customer=message.customer, payload={"message_id": message.pk, "code": error.code, "tries": tries})
    return None


def _claim(message_id: int, actor) -> tuple[Message | None, str]:
    """Phase 1: queued → sending (or the reason to stop)."""
    with transaction.atomic():
        message = _locked(message_id)
        if message is None:
            return None, "missing"
        if message.status == MessageStatus.SENDING:
            return message, "reconcile"
        if message.status != MessageStatus.QUEUED:
            return None, f"skipped:{message.status}"
        try:
            compliance.contact_send_guard(attempt=message.contact_attempt)
        except ContactBlocked as exc:
            _cancel(message=message, actor=actor, reason=_guard_reason(exc, message))
            return None, "cancelled"
        message = message_transition(message=message, to=MessageStatus.SENDING, actor=actor, reason="Sending")
        return message, "claimed"


def message_send(*, message_id: int) -> str:
    """Send one message through its channel back-end, at most once. Returns what happened (for logs)."""
    actor = system_user()
    message, state = _claim(message_id, actor)
    if message is None:
        return state
    backend = backend_for(message.channel)
    if state == "reconcile":
        found = backend.lookup(message)
        if found:
            _record_sent(message_id=message.pk, provider_message_id=found.provider_message_id,
                         provider_status=found.provider_status, actor=actor)
            return "reconciled:sent"
        if found is None and not backend.idempotent_provider:
            return "reconcile:unknown"  # left for the delivery callback or message_reconcile_stuck
        # The provider says it never got it (or would drop a duplicate): sending again is safe.
    try:
        result = backend.send(message)
    except ContactBlocked as exc:
        with transaction.atomic():
            locked = _locked(message.pk)
            if locked.status == MessageStatus.SENDING:
                _cancel(message=locked, actor=actor, reason=_guard_reason(exc, locked))
        return "cancelled"
    except ProviderError as exc:
        countdown = _record_failure(message_id=message.pk, error=exc, actor=actor)
        if countdown is not None:
            raise RetryLater(countdown) from None
        return "failed"
    _record_sent(message_id=message.pk, provider_message_id=result.provider_message_id,
                 provider_status=result.provider_status, actor=actor)
    return "sent"


def message_reconcile_stuck(*, older_than: timedelta = STUCK_AFTER, now=None) -> int:
    """Messages left in ``sending`` (a worker died mid-send and the provider cannot say whether it went):
    ask the back-end once more; if still unknown, mark them failed with a plain reason and count the
    attempt (it may have reached the customer, so the caps must assume it did)."""
    now = now or timezone.now()
    actor = system_user()
    count = 0
    for message_id in Message.objects.filter(status=MessageStatus.SENDING, sending_at__lt=now - older_than) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            message = _locked(message_id)
            if message is None or message.status != MessageStatus.SENDING:
                continue
            found = backend_for(message.channel).lookup(message)
            if found:
                _record_sent(message_id=message.pk, provider_message_id=found.provider_message_id,
                             provider_status=found.provider_status, actor=actor)
                count += 1
                continue
            message_transition(
                message=message, to=MessageStatus.FAILED, actor=actor, reason="Unconfirmed after a worker stopped",
                error="We could not confirm this message was sent (the sender stopped mid-send). "
                      "It was not sent again, so the customer gets it at most once.",
            )
            if message.contact_attempt.status == AttemptStatus.RESERVED:
                compliance.contact_attempt_complete(attempt=message.contact_attempt, outcome="unconfirmed",
                                                    actor=actor)
            count += 1
    return count
