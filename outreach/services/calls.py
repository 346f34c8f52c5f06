"""Calls: an agent logs how a phone call went. The call is the voice message the gate allowed (the
call task the voice back-end handed to the agent), or, if the agent logs a call they were not given,
a new reservation through the gate first."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.choices import Channel
from accounts.models import Case
from collections_crm.errors import ApplicationError
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import AttemptStatus
from compliance.choices import Purpose as GatePurpose
from compliance.models import ContactAttempt

from ..choices import CallOutcome, Direction, MessageSource, MessageStatus
from ..models import Message
from .messages import message_save, message_transition

OPEN_CALL_STATES = (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT)


def _final_status(outcome: str) -> str:
    if outcome == CallOutcome.NOT_CONNECTED:
        return MessageStatus.FAILED
    if outcome in (CallOutcome.NO_ANSWER, CallOutcome.WRONG_NUMBER):
        return MessageStatus.UNDELIVERED
    return MessageStatus.DELIVERED


def _validate(outcome: str, duration_seconds) -> None:
    if outcome not in CallOutcome.values:
        raise ApplicationError("Choose how the call went.", {"code": "call_outcome", "outcome": outcome})
    if duration_seconds is None or isinstance(duration_seconds, bool) or int(duration_seconds) != duration_seconds \
            or duration_seconds < 0 or duration_seconds > 24 * 3600:
        raise ApplicationError("The call length must be a number of seconds.", {"code": "duration"})


@transaction.atomic
def call_log(*, case: Case, actor, outcome: str, duration_seconds: int, notes: str, transcript: str = "",
             at: datetime | None = None, direction: str = Direction.OUTBOUND) -> Message:
    """Record a phone call on the case timeline. Outbound: completes the call's contact attempt — as a
    conversation when the agent spoke with the customer (it starts Reg F's 7-day cooldown and every
    attempt counts towards the 7-in-7 cap, 12 CFR 1006.14(b)(2)); a call that never connected stops
    counting (1006.14(b)(3)). Inbound (the customer rang us): no gate, nothing reserved."""
    _validate(outcome, duration_seconds)
    at = at or timezone.now()
    account = case.account
    customer = account.customer
    fields = {"call_outcome": outcome, "duration_seconds": int(duration_seconds), "notes": notes,
              "transcript": transcript}
    if direction == Direction.INBOUND:
        message = Message(customer=customer, account=account, case=case, direction=Direction.INBOUND,
                          channel=Channel.VOICE, source=MessageSource.INBOUND, status=MessageStatus.RECEIVED,
                          received_at=at, idempotency_key=f"call-in:{case.pk}:{at.timestamp()}:{actor.pk}",
                          language=customer.language, from_address=customer.phone, actor=actor, created_at=at,
                          **fields)
        message_save(message, actor=actor, reason="Inbound call logged")
        audit_record(actor=actor, action="call.logged", obj=message, account=account, customer=customer,
                     payload={"direction": direction, "outcome": outcome, "duration_seconds": int(duration_seconds)})
        return message
    if direction != Direction.OUTBOUND:
        raise ApplicationError("Unknown call direction.", {"code": "direction"})

    message = (Message.objects.select_for_update(of=("self",))  # contact_attempt is a nullable outer join
               .filter(account=account, channel=Channel.VOICE, direction=Direction.OUTBOUND,
                       status__in=OPEN_CALL_STATES, call_outcome="")
               .select_related("contact_attempt").order_by("created_at", "id").first())
    if message is not None and (message.contact_attempt is None
                                or message.contact_attempt.status != AttemptStatus.RESERVED):
        message = None  # its reservation was cancelled (e.g. an opt-out): this call needs the gate again
    if message is None:
        decision = compliance.contact_reserve(customer=customer, account=account, channel=Channel.VOICE,
                                              purpose=GatePurpose.COLLECTION, actor=actor, at=at)
        if not decision.allowed:
            raise ApplicationError(
                "The contact rules do not allow a call to this customer now.",
                {"code": "gate_blocked", "reasons": decision.reasons, "next_allowed_at": decision.next_allowed_at},
            )
        message = Message(customer=customer, account=account, case=case, direction=Direction.OUTBOUND,
                          channel=Channel.VOICE, purpose="", source=MessageSource.AGENT,
                          status=MessageStatus.QUEUED, queued_at=at, scheduled_at=at, gate_decision=decision,
                          contact_attempt=ContactAttempt.objects.get(decision=decision),
                          idempotency_key=f"call:{decision.pk}", language=customer.language,
                          to_address=customer.phone, from_address=account.creditor.support_phone,
                          actor=actor, created_at=at)
        message_save(message, actor=actor, reason="Call reserved")
    attempt = compliance.contact_send_guard(attempt=message.contact_attempt)
    if message.status == MessageStatus.QUEUED:
        message_transition(message=message, to=MessageStatus.SENDING, actor=actor, at=at, reason="Call started")
    final = _final_status(outcome)
    if not message.sent_at and final != MessageStatus.FAILED:
        fields["sent_at"] = at
    message_transition(message=message, to=final, actor=actor, at=at, reason=f"Call logged: {outcome}", **fields)
    compliance.contact_attempt_complete(attempt=attempt, outcome=outcome, actor=actor,
                                        conversation=outcome in CallOutcome.conversations(),
                                        sent=outcome != CallOutcome.NOT_CONNECTED)
    audit_record(actor=actor, action="call.logged", obj=message, account=account, customer=customer,
                 payload={"direction": direction, "outcome": outcome, "duration_seconds": int(duration_seconds),
                          "attempt_id": attempt.pk})
    return message
