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

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import Channel
from collections_crm.errors import ApplicationError
from collections_crm.history import history_copy_rows, system_user
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import AttemptStatus
from compliance.services import ContactBlocked

from ..backends import ProviderError, SendResult, backend_for
from ..backends.base import guard_refusal
from ..choices import MESSAGE_TRANSITIONS, MessageStatus
from ..models import Message
from .messages import STATUS_TIME_FIELD, message_transition

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


# ---- many at once ------------------------------------------------------------------------------------


def _messages_mark(messages: list[Message], *, to: str, actor, reason: str, at, fields: dict | None = None,
                   per_message: dict[int, dict] | None = None) -> None:
    """Move locked ``messages`` to ``to`` in bulk: the transitions are checked as ``message_transition``
    does, then one UPDATE for the values they share (and one bulk update for ``per_message`` values) and
    one history row each, copied from the stored row."""
    if not messages:
        return
    for message in messages:
        if to not in MESSAGE_TRANSITIONS.get(message.status, ()):
            raise ApplicationError(
                f"A {message.get_status_display().lower()} message cannot become {to}.",
                {"code": "bad_transition", "from": message.status, "to": to},
            )
    values = {"status": to, STATUS_TIME_FIELD[to]: at, "updated_at": at, **(fields or {})}
    for message in messages:
        for key, value in {**values, **(per_message or {}).get(message.pk, {})}.items():
            setattr(message, key, value)
    ids = [m.pk for m in messages]
    Message.objects.filter(pk__in=ids).update(**values)
    if per_message:
        _update_each(messages, sorted({k for v in per_message.values() for k in v}))
    history_copy_rows(Message, ids, history_type="~", actor=actor, reason=reason, at=at)


def _update_each(messages: list[Message], fields: list[str]) -> None:
    """Store ``fields`` of each message (values that differ per row) in one statement: on PostgreSQL an
    UPDATE … FROM (VALUES …), elsewhere Django's bulk_update (a CASE per field)."""
    if connection.vendor != "postgresql":
        Message.objects.bulk_update(messages, fields)
        return
    qn = connection.ops.quote_name
    columns = [Message._meta.get_field(name).column for name in fields]
    row = "(%s" + ", %s" * len(columns) + ")"
    sql = (f"UPDATE {qn(Message._meta.db_table)} AS m SET "  # noqa: S608 - names from the model, values bound
           + ", ".join(f"{qn(c)} = v.{qn(c)}" for c in columns)
           + f" FROM (VALUES {', '.join([row] * len(messages))}) AS v(id, {', '.join(qn(c) for c in columns)})"
           + " WHERE m.id = v.id")
    params = [value for m in messages for value in (m.pk, *(getattr(m, name) for name in fields))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _claim_many(message_ids: Sequence[int], actor) -> tuple[list[Message], dict[str, list[int]]]:
    """Phase 1 for a batch, one transaction: lock the messages nobody else holds; the queued ones the
    guard allows → ``sending``; refused ones → ``cancelled``. Returns the claimed messages and the ids
    that need the single-message path (``reconcile``: left in sending; ``busy``: locked by someone
    else) and the other outcomes."""
    now = timezone.now()
    other: dict[str, list[int]] = defaultdict(list)
    with transaction.atomic():
        locked = list(Message.objects.select_for_update(of=("self",), skip_locked=True)
                      .select_related("contact_attempt", "account", "customer").filter(pk__in=message_ids)
                      .order_by("pk"))
        found = {m.pk for m in locked}
        missing = set(Message.objects.filter(pk__in=set(message_ids) - found).values_list("pk", flat=True))
        other["busy"] = sorted(missing)
        other["missing"] = sorted(set(message_ids) - found - missing)
        queued = []
        for message in locked:
            if message.status == MessageStatus.SENDING:
                other["reconcile"].append(message.pk)
            elif message.status != MessageStatus.QUEUED:
                other[f"skipped:{message.status}"].append(message.pk)
            else:
                queued.append(message)
        verdicts = compliance.contact_send_guard_many(
            attempts=[m.contact_attempt for m in queued if m.contact_attempt is not None])
        claimed = []
        for message in queued:
            refusal = guard_refusal(message, verdicts)
            if refusal is not None:
                _cancel(message=message, actor=actor, reason=_guard_reason(refusal, message))
                other["cancelled"].append(message.pk)
            else:
                claimed.append(message)
        _messages_mark(claimed, to=MessageStatus.SENDING, actor=actor, reason="Sending", at=now)
    return claimed, other


@transaction.atomic
def _record_sent_many(*, results: dict[int, SendResult], actor) -> list[int]:
    """Phase 3 for a batch: the ones still ``sending`` → ``sent`` with the provider's ids, their attempts
    completed (one bulk call). Returns the ids recorded."""
    if not results:
        return []
    locked = list(Message.objects.select_for_update(of=("self",)).select_related("contact_attempt")
                  .filter(pk__in=list(results), status=MessageStatus.SENDING).order_by("pk"))
    now = timezone.now()
    _messages_mark(locked, to=MessageStatus.SENT, actor=actor, reason="Sent", at=now, fields={"error": ""},
                   per_message={m.pk: {"provider_message_id": results[m.pk].provider_message_id,
                                       "provider_status": results[m.pk].provider_status} for m in locked})
    attempts = [m.contact_attempt for m in locked
                if m.channel != Channel.VOICE and m.contact_attempt is not None
                and m.contact_attempt.status == AttemptStatus.RESERVED]
    if attempts:
        compliance.contact_attempt_complete_many(attempts=attempts, outcome="sent", actor=actor)
    return [m.pk for m in locked]


def message_send_many(*, message_ids: Sequence[int]) -> dict[str, list[int]]:
    """Send a batch of messages, each at most once, with ``message_send``'s state machine: claim them
    all in one transaction (queued → sending, or cancelled by the guard), commit, hand them to the
    back-end together, then record the sent ones in one transaction. A provider error affects only its
    message (retried with the single-message task, or failed). Messages found in ``sending`` (a task
    delivered again) or locked by another worker go through ``message_send`` one by one.
    Returns the message ids by what happened to them."""
    from ..tasks import send_message

    actor = system_user()
    claimed, outcomes = _claim_many(message_ids, actor)
    outcomes = defaultdict(list, outcomes)
    by_channel: dict[str, list[Message]] = defaultdict(list)
    for message in claimed:
        by_channel[message.channel].append(message)
    sent: dict[int, SendResult] = {}
    retries: list[tuple[int, int]] = []
    for channel, messages in by_channel.items():
        try:
            backend = backend_for(channel)
            answers = backend.send_many(messages)
        except ProviderError as exc:
            answers = [exc] * len(messages)
        for message, answer in zip(messages, answers, strict=True):
            if isinstance(answer, SendResult):
                sent[message.pk] = answer
            elif isinstance(answer, ContactBlocked):
                with transaction.atomic():
                    locked = _locked(message.pk)
                    if locked.status == MessageStatus.SENDING:
                        _cancel(message=locked, actor=actor, reason=_guard_reason(answer, locked))
                outcomes["cancelled"].append(message.pk)
            else:
                countdown = _record_failure(message_id=message.pk, error=answer, actor=actor)
                if countdown is None:
                    outcomes["failed"].append(message.pk)
                else:
                    retries.append((message.pk, countdown))
                    outcomes["retry"].append(message.pk)
    outcomes["sent"] = _record_sent_many(results=sent, actor=actor)
    for message_id, countdown in retries:
        send_message.apply_async(args=[message_id], countdown=countdown)
    for message_id in outcomes.pop("reconcile", []) + outcomes.pop("busy", []):
        # Rare: a task delivered again after a worker died mid-send, or another worker holds the row.
        # The single-message path waits for the lock and reconciles (never re-sends blindly).
        outcomes[message_send(message_id=message_id)].append(message_id)
    return {state: ids for state, ids in outcomes.items() if ids}


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
