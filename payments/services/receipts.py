"""Sending receipts: every successful payment's receipt goes to the customer on their channel, through
the contact gate's rules for transactional messages (outreach.message_queue asks the gate)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.choices import Channel
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record
from outreach.choices import MessageSource, MessageStatus
from outreach.context import date_text, money_text

from ..models import Receipt

# A receipt the gate holds back (e.g. outside the customer's hours) is tried again at the next allowed
# moment, at most this many times; after that it stays on the portal, the timeline and the evidence pack.
MAX_SEND_ATTEMPTS = 5
_TEXT_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.WHATSAPP)


def receipt_channel(customer) -> str | None:
    """The customer's preferred channel when a receipt can go there, else SMS, else email."""
    has = {Channel.SMS: bool(customer.phone), Channel.WHATSAPP: bool(customer.phone), Channel.EMAIL: bool(customer.email)}
    if customer.preferred_channel in _TEXT_CHANNELS and has[customer.preferred_channel]:
        return customer.preferred_channel
    for channel in (Channel.SMS, Channel.EMAIL):
        if has[channel]:
            return channel
    return None


@transaction.atomic
def receipt_send(*, receipt: Receipt, actor, at=None):
    """Queue the receipt as a message (purpose payment_receipt). Idempotent per attempt: calling it again
    for a receipt already queued or sent returns that message. Returns the Message, or None when the
    customer has no channel a receipt can go to (noted on the receipt)."""
    # Lock the receipt row only ("of self"): its message link is a nullable outer join PostgreSQL cannot lock.
    receipt = Receipt.objects.select_for_update(of=("self",)).select_related(
        "payment__account__customer", "payment__account__creditor", "message").get(pk=receipt.pk)
    if receipt.message is not None and receipt.message.status != MessageStatus.BLOCKED:
        return receipt.message
    if receipt.send_attempts >= MAX_SEND_ATTEMPTS:
        return receipt.message
    account = receipt.payment.account
    customer = account.customer
    channel = receipt_channel(customer)
    if channel is None:
        receipt.send_note = "No phone number or email to send the receipt to."
        save_tracked(receipt, actor=actor, reason="Receipt not sent")
        return None
    from outreach.services import message_queue

    payment = receipt.payment
    receipt.send_attempts += 1
    try:
        message = message_queue(
            customer=customer, account=account, channel=channel, purpose="payment_receipt", actor=actor,
            source=MessageSource.SYSTEM, idempotency_key=f"receipt-{receipt.pk}-{receipt.send_attempts}", at=at,
            extra_context={
                "payment_amount": money_text(payment.amount, payment.currency, customer.language,
                                             account.creditor.country),
                "payment_date": date_text(timezone.localdate(payment.received_at), customer.language),
                "balance_left": money_text(account.balance, account.currency, customer.language,
                                           account.creditor.country),
            },
        )
    except ApplicationError as exc:
        receipt.send_note = str(exc)[:200]
        save_tracked(receipt, actor=actor, reason="Receipt not sent")
        return None
    receipt.message = message
    if message.status == MessageStatus.BLOCKED:
        receipt.send_note = f"Held back by the contact gate: {message.status_reason}"[:200]
        if message.next_allowed_at and receipt.send_attempts < MAX_SEND_ATTEMPTS and (
            message.next_allowed_at - (at or timezone.now()) <= timedelta(days=7)
        ):
            from ..tasks import send_receipt

            when = message.next_allowed_at
            transaction.on_commit(lambda: send_receipt.apply_async(args=[receipt.pk], eta=when))
    else:
        receipt.send_note, receipt.sent_at = "", timezone.now()
    save_tracked(receipt, actor=actor, reason="Receipt queued" if receipt.sent_at else "Receipt held back")
    audit_record(actor=actor, action="receipt.queued" if receipt.sent_at else "receipt.held", obj=receipt,
                 account=account, payload={"confirmation": receipt.confirmation_number, "channel": channel,
                                           "message": message.pk, "status": message.status})
    return message
