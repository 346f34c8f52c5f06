"""Inbound replies: store once, match to the customer, classify, act.

Matching: SMS/WhatsApp by E.164 number, email by address. The account is the one we last wrote to
on that channel, else the customer's newest open account. An unknown sender is stored as an unmatched
inbound message and nothing else happens. A repeated provider id returns the stored message.

Acting (``outreach.classify`` decides the kind; each action runs in its own savepoint so a refusal
never loses the reply, and what happened is kept on the message under ``extracted["action"]``):

- opt-out → ``consent_revoke`` at once (47 CFR 64.1200(a)(10); 12 CFR 1006.6(e)), then a confirmation
  through the gate (purpose ``opt_out_confirmation``);
- dispute → ``dispute_open`` (source inbound): a dispute hold, routed to a person (12 CFR 1006.38);
- complaint / distress → the case is flagged for a person (complaints queue);
- hardship → a hardship pause hold with an end date, and the case goes to a person for review;
- promise → ``promise_create`` with the date and amount pulled out (a person reviews it if either is
  missing or the promise cannot be taken as written);
- callback → a callback request (callbacks queue);
- question, unknown → a person reviews the case (the reply itself is on the timeline)."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services_routing as routing
from accounts.choices import AccountStatus, CallbackSource, Channel
from accounts.models import Account, Case, Customer
from collections_crm.errors import ApplicationError
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import ConsentSource, DisputeReason, DisputeSource, HoldKind

from ..choices import Classification, Direction, MessageSource, MessageStatus, Purpose
from ..classify import Classified, classify
from ..models import Message
from .messages import message_save

log = logging.getLogger(__name__)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
INBOUND_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)


def normalise_address(channel: str, address: str) -> str:
    """E.164 for phones (Twilio's ``whatsapp:`` prefix dropped), the bare lower-case address for email."""
    address = (address or "").strip()
    if channel == Channel.EMAIL:
        return parseaddr(address)[1].strip().lower()
    if address.startswith("whatsapp:"):
        address = address[len("whatsapp:"):]
    return address.replace(" ", "")


def match_sender(*, channel: str, address: str) -> tuple[Customer | None, Account | None]:
    """The customer behind ``address`` and the account the reply is most likely about."""
    if not address or (channel != Channel.EMAIL and not E164.match(address)):
        return None, None
    if channel == Channel.EMAIL:
        customers = list(Customer.objects.filter(email__iexact=address))
    else:
        customers = list(Customer.objects.filter(phone=address))
    if not customers:
        return None, None
    ids = [c.pk for c in customers]
    last = (Message.objects.filter(customer_id__in=ids, channel=channel, direction=Direction.OUTBOUND)
            .order_by("-created_at", "-id").select_related("account", "customer").first())
    if last is not None:
        return last.customer, last.account
    open_first = (Account.objects.filter(customer_id__in=ids).select_related("customer")
                  .order_by("-placed_at", "-id"))
    account = open_first.exclude(status__in=AccountStatus.closed_states()).first() or open_first.first()
    if account is None:
        return customers[0], None
    return account.customer, account


def _customer_today(customer: Customer, at: datetime) -> date:
    try:
        return at.astimezone(ZoneInfo(customer.zones[0])).date()
    except Exception:  # noqa: BLE001 - an unknown zone name falls back to UTC
        return at.date()


def _dispute_reason(text: str) -> str:
    folded = text.casefold()
    if any(w in folded for w in ("paid", "pagu", "pague", "payé", "paye", "don pay")):
        return DisputeReason.ALREADY_PAID
    if any(w in folded for w in ("amount", "montant", "monto", "cantidad")):
        return DisputeReason.WRONG_AMOUNT
    if any(w in folded for w in ("identity", "identité", "identidad", "fraud")):
        return DisputeReason.IDENTITY_THEFT
    if any(w in folded for w in ("not my", "not mine", "no be my", "pas ma", "no es mi", "no debo", "not me")):
        return DisputeReason.NOT_MINE
    return DisputeReason.OTHER


@transaction.atomic
def inbound_receive(*, channel: str, from_address: str, body: str, to_address: str = "", subject: str = "",
                    provider_message_id: str | None = None, received_at: datetime | None = None,
                    actor=None) -> Message:
    """Store one inbound message (once per provider id), match, classify and act. Returns the message."""
    if channel not in INBOUND_CHANNELS:
        raise ApplicationError("Unknown inbound channel.", {"code": "channel", "channel": channel})
    actor = actor or system_user()
    provider_message_id = (provider_message_id or "").strip()[:120] or None
    if provider_message_id:
        existing = Message.objects.filter(provider_message_id=provider_message_id).first()
        if existing is not None:
            return existing
    at = received_at or timezone.now()
    address = normalise_address(channel, from_address)
    customer, account = match_sender(channel=channel, address=address)
    text = (body or "").strip()
    message = Message(
        customer=customer, account=account, case=Case.objects.filter(account=account).first() if account else None,
        direction=Direction.INBOUND, channel=channel, source=MessageSource.INBOUND, status=MessageStatus.RECEIVED,
        received_at=at, created_at=at, subject=(subject or "")[:300], body=text,
        from_address=(address or from_address)[:254], to_address=normalise_address(channel, to_address)[:254],
        provider_message_id=provider_message_id,
        idempotency_key=f"in:{channel}:{provider_message_id}" if provider_message_id
        else f"in:{channel}:{timezone.now().timestamp()}:{address}"[:120],
        language=customer.language if customer else "", actor=actor,
    )
    if customer is None:
        try:
            with transaction.atomic():
                message_save(message, actor=actor, reason="Inbound from an unknown sender")
        except IntegrityError:
            return Message.objects.get(provider_message_id=provider_message_id)
        audit_record(actor=actor, action="inbound.unmatched", obj=message,
                     payload={"channel": channel, "message_id": message.pk})
        return message

    creditor = customer.creditor
    # For an email, the subject speaks too ("STOP" in the subject is the documented opt-out).
    reading = text if channel != Channel.EMAIL else f"{subject}\n{text}".strip()
    result = classify(reading, language=customer.language, today=_customer_today(customer, at),
                      day_first=creditor.country != "US")
    if result.kind != Classification.OPT_OUT and channel == Channel.EMAIL and subject:
        subject_only = classify(subject, language=customer.language)
        if subject_only.kind == Classification.OPT_OUT:
            result = subject_only
    message.classification = result.kind
    message.extracted = {**result.extracted, "also": list(result.also), "phrase": result.phrase[:80]}
    try:
        with transaction.atomic():
            message_save(message, actor=actor, reason=f"Inbound: {result.kind}")
    except IntegrityError:
        return Message.objects.get(provider_message_id=provider_message_id)
    audit_record(actor=actor, action="inbound.received", obj=message, account=account, customer=customer,
                 payload={"channel": channel, "classification": result.kind, "message_id": message.pk})
    outcome = _act(message=message, result=result, actor=actor, at=at)
    message.extracted = {**message.extracted, "action": outcome}
    message_save(message, actor=actor, reason=f"Acted on: {outcome.get('done', '')}"[:100])
    return message


def _act(*, message: Message, result: Classified, actor, at: datetime) -> dict:
    handlers = {
        Classification.OPT_OUT: _opt_out, Classification.DISPUTE: _dispute, Classification.COMPLAINT: _complaint,
        Classification.HARDSHIP: _hardship, Classification.PROMISE: _promise, Classification.CALLBACK: _callback,
    }
    handler = handlers.get(result.kind, _review)
    try:
        with transaction.atomic():
            outcome = handler(message=message, result=result, actor=actor, at=at)
    except ApplicationError as exc:
        outcome = {"done": "refused", "why": exc.message[:200]}
        if result.kind != Classification.OPT_OUT:
            outcome["review"] = _review_quietly(message=message, actor=actor, note=f"{result.kind}: {exc.message}")
    if result.kind != Classification.COMPLAINT and Classification.COMPLAINT in result.also and message.case:
        try:
            with transaction.atomic():
                routing.case_flag_complaint(case=message.case, actor=actor, note="distress in an inbound reply")
            outcome["complaint_flagged"] = True
        except ApplicationError:
            pass
    return outcome


def _review_quietly(*, message: Message, actor, note: str) -> bool:
    if message.case is None:
        return False
    try:
        with transaction.atomic():
            routing.case_review_request(case=message.case, actor=actor, note=note[:200])
        return True
    except ApplicationError:
        return False


def _opt_out(*, message, result, actor, at) -> dict:
    from .messages import message_queue

    compliance.consent_revoke(customer=message.customer, channel=message.channel,
                              source=ConsentSource.INBOUND_KEYWORD, actor=actor, evidence=message.body[:500],
                              address=message.from_address)
    outcome = {"done": "opted_out", "channel": message.channel}
    if message.account is None:
        return outcome
    try:
        with transaction.atomic():
            confirmation = message_queue(
                customer=message.customer, account=message.account, channel=message.channel,
                purpose=Purpose.OPT_OUT_CONFIRMATION, actor=actor, source=MessageSource.SYSTEM, case=message.case,
                idempotency_key=f"opt-out-confirmation:{message.pk}",
            )
        outcome["confirmation"] = confirmation.status
        outcome["confirmation_id"] = confirmation.pk
    except ApplicationError as exc:
        outcome["confirmation"] = f"not sent: {exc.message}"[:200]
    return outcome


def _dispute(*, message, result, actor, at) -> dict:
    if message.account is None:
        raise ApplicationError("No account to dispute.", {"code": "no_account"})
    dispute = compliance.dispute_open(account=message.account, reason=_dispute_reason(message.body),
                                      description=message.body[:2000], source=DisputeSource.INBOUND, actor=actor)
    return {"done": "dispute_opened", "dispute_id": dispute.pk}


def _complaint(*, message, result, actor, at) -> dict:
    if message.case is None:
        raise ApplicationError("No case to flag.", {"code": "no_case"})
    routing.case_flag_complaint(case=message.case, actor=actor, note="inbound reply")
    return {"done": "complaint_flagged"}


def _hardship(*, message, result, actor, at) -> dict:
    days = getattr(settings, "OUTREACH_HARDSHIP_PAUSE_DAYS", 30)
    hold = compliance.hold_place(customer=message.customer, account=message.account, kind=HoldKind.HARDSHIP_PAUSE,
                                 starts_at=at, ends_at=at + timedelta(days=days),
                                 reason="hardship told in an inbound reply", actor=actor)
    reviewed = _review_quietly(message=message, actor=actor, note="hardship: talk about support and a plan")
    return {"done": "hardship_pause", "hold_id": hold.pk, "until": hold.ends_at.isoformat(), "review": reviewed}


def _promise(*, message, result, actor, at) -> dict:
    from payments.services.promises import promise_create

    terms = result.extracted
    if message.account is None or "amount" not in terms or "date" not in terms:
        reviewed = _review_quietly(message=message, actor=actor, note="promise without a clear amount or date")
        return {"done": "promise_needs_a_person", "review": reviewed}
    promise = promise_create(actor=actor, account=message.account, amount=Decimal(terms["amount"]),
                             due_date=date.fromisoformat(terms["date"]), channel=message.channel)
    return {"done": "promise_recorded", "promise_id": promise.pk}


def _callback(*, message, result, actor, at) -> dict:
    if message.case is None:
        raise ApplicationError("No case for the callback.", {"code": "no_case"})
    request = routing.callback_request_create(case=message.case, channel=Channel.VOICE, note=message.body[:500],
                                              source=CallbackSource.INBOUND, actor=actor)
    return {"done": "callback_requested", "callback_id": request.pk}


def _review(*, message, result, actor, at) -> dict:
    reviewed = _review_quietly(message=message, actor=actor, note=f"inbound {result.kind}: please read and answer")
    return {"done": "routed_to_person", "review": reviewed}
