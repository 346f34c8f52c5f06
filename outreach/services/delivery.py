"""Delivery reports from providers (Twilio's status callback; the dev outbox simulates them)."""

from __future__ import annotations

from django.db import transaction

from accounts.choices import Channel
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import AttemptStatus

from ..choices import MESSAGE_TRANSITIONS, Direction, MessageStatus
from ..models import Message

# Provider words → our status. "queued"/"accepted"/"sending" at the provider add nothing we do not know.
PROVIDER_STATUS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
}
ERROR_TEXT = {
    "30003": "The phone was off or out of reach.",
    "30005": "The number does not exist.",
    "30006": "The number cannot receive texts (a landline?).",
    "30007": "The carrier filtered the message.",
    "30008": "The carrier could not deliver it.",
    "63016": "Outside WhatsApp's 24-hour window; only an approved template may be sent.",
}


@transaction.atomic
def message_delivery_update(*, provider_message_id: str, provider_status: str, message_id: int | None = None,
                            error_code: str = "", actor=None) -> Message | None:
    """Apply one delivery report. Matched by the provider's id, else by our id (carried on the callback
    URL), which also settles a message a dead worker left in ``sending``. Reports out of order or
    repeated change nothing; an unknown message returns None."""
    actor = actor or system_user()
    message = None
    if provider_message_id:
        message = Message.objects.select_for_update(of=("self",)).filter(
            provider_message_id=provider_message_id).first()
    if message is None and message_id:
        message = Message.objects.select_for_update(of=("self",)).filter(
            pk=message_id, direction=Direction.OUTBOUND).first()
        if message is not None and message.provider_message_id and provider_message_id \
                and message.provider_message_id != provider_message_id:
            message = None  # our id with someone else's provider id: not this message
    if message is None:
        return None
    target = PROVIDER_STATUS.get((provider_status or "").lower())
    if target is None:
        return message
    fields = {"provider_status": provider_status[:40]}
    if provider_message_id and not message.provider_message_id:
        fields["provider_message_id"] = provider_message_id[:120]
    if target in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        fields["error"] = ERROR_TEXT.get(error_code, f"The provider could not deliver it (error {error_code or '?'}).")
    was_sending = message.status == MessageStatus.SENDING
    if message.status == target or target not in MESSAGE_TRANSITIONS.get(message.status, ()):
        return message  # a repeat, or older news than what we know
    from .messages import message_transition

    if target != MessageStatus.SENT and message.status == MessageStatus.SENDING and not message.sent_at \
            and target != MessageStatus.FAILED:
        fields["sent_at"] = message.sending_at
    message = message_transition(message=message, to=target, actor=actor, reason=f"Provider: {provider_status}",
                                 **fields)
    if was_sending and message.channel != Channel.VOICE and message.contact_attempt \
            and message.contact_attempt.status == AttemptStatus.RESERVED:
        # The report proves the provider had it: the attempt happened (or, failed at once, never left).
        compliance.contact_attempt_complete(attempt=message.contact_attempt, outcome=provider_status[:40],
                                            actor=actor, sent=target != MessageStatus.FAILED)
    if target in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        audit_record(actor=actor, action="message.undelivered", obj=message, account=message.account,
                     customer=message.customer,
                     payload={"message_id": message.pk, "status": target, "error_code": error_code})
    return message
