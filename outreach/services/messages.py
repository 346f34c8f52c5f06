"""Writes for messages: queue an outbound message through the contact gate, move it through its
states, and log calls. Sending itself is ``outreach.services.sending`` (run by the Celery task)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import Channel
from accounts.models import Account, Case, Customer
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance import services as compliance
from compliance.choices import Purpose as GatePurpose

from ..care import care_check
from ..care_phrases import BLOCKED
from ..choices import MESSAGE_TRANSITIONS, Direction, MessageSource, MessageStatus, Purpose, TemplateStatus
from ..context import message_context
from ..models import Message, MessageTemplate, PayLink
from ..paylinks import new_code
from ..rendering import TemplateProblem, render_message
from ..selectors import template_for, whatsapp_window_open

PREFERRED = "preferred"
TRANSACTIONAL = frozenset({
    Purpose.PAYMENT_RECEIPT, Purpose.PLAN_CONFIRMATION, Purpose.DISPUTE_ACKNOWLEDGEMENT,
    Purpose.CALLBACK_CONFIRMATION, Purpose.VERIFICATION_CODE,
})
HARMFUL_CATEGORIES = frozenset(category.key for category in BLOCKED)
STATUS_TIME_FIELD = {
    MessageStatus.QUEUED: "queued_at", MessageStatus.SENDING: "sending_at", MessageStatus.SENT: "sent_at",
    MessageStatus.DELIVERED: "delivered_at", MessageStatus.UNDELIVERED: "failed_at",
    MessageStatus.FAILED: "failed_at", MessageStatus.CANCELLED: "cancelled_at",
    MessageStatus.RECEIVED: "received_at",
}


# Foreign keys, uniqueness and check constraints are enforced by the database (see the models' Meta). Asking
# Django to validate them first costs a query each — about twenty per message — on the hottest write path.
MESSAGE_FKS = ("customer", "account", "case", "template", "gate_decision", "contact_attempt", "actor")
PAY_LINK_FKS = ("account", "message", "created_by")


def message_save(message: Message, *, actor, reason: str) -> Message:
    """full_clean() of the values themselves (choices, lengths, types), then save with attributed history."""
    message.full_clean(exclude=MESSAGE_FKS, validate_unique=False, validate_constraints=False)
    return save_tracked(message, actor=actor, reason=reason, validate=False)


def pay_link_save(link: PayLink, *, actor, reason: str) -> PayLink:
    link.full_clean(exclude=PAY_LINK_FKS, validate_unique=False, validate_constraints=False)
    return save_tracked(link, actor=actor, reason=reason, validate=False)


def gate_purpose(purpose: str, source: str = "") -> str:
    """The compliance purpose for an outreach purpose: receipts, confirmations and dispute
    acknowledgements are transactional; the opt-out confirmation is its own; seasonal messages and
    campaign sends are campaigns; the rest is collection."""
    if purpose == Purpose.OPT_OUT_CONFIRMATION:
        return GatePurpose.OPT_OUT_CONFIRMATION
    if purpose in TRANSACTIONAL:
        return GatePurpose.TRANSACTIONAL
    if purpose == Purpose.SEASONAL_CARE or source == MessageSource.CAMPAIGN:
        return GatePurpose.CAMPAIGN
    return GatePurpose.COLLECTION


def message_transition(*, message: Message, to: str, actor, reason: str = "", at: datetime | None = None,
                       **fields) -> Message:
    """Move ``message`` (already locked by the caller) to ``to`` if the state machine allows it, stamping
    the status time; other ``fields`` are set too. Refuses anything else with an ApplicationError."""
    if to not in MESSAGE_TRANSITIONS.get(message.status, ()):
        raise ApplicationError(
            f"A {message.get_status_display().lower()} message cannot become {to}.",
            {"code": "bad_transition", "from": message.status, "to": to},
        )
    message.status = to
    stamp = STATUS_TIME_FIELD.get(to)
    if stamp:
        setattr(message, stamp, at or timezone.now())
    for key, value in fields.items():
        setattr(message, key, value)
    return message_save(message, actor=actor, reason=reason or f"→ {to}")


def _resolve_channel(channel: str, customer: Customer) -> str:
    if channel == PREFERRED:
        channel = customer.preferred_channel
    if channel not in Channel.values:
        raise ApplicationError("Unknown channel.", {"code": "channel", "channel": channel})
    return channel


def _choose_template(*, template, purpose, channel, customer, account) -> MessageTemplate:
    if template is None:
        template = template_for(purpose=purpose, channel=channel, language=customer.language,
                                creditor=account.creditor)
        if template is None:
            raise ApplicationError(
                "There is no approved template for this message.",
                {"code": "no_template", "purpose": purpose, "channel": channel, "language": customer.language},
            )
        return template
    problem = None
    if template.status != TemplateStatus.APPROVED:
        problem = "Only an approved template can be sent."
    elif template.channel != channel:
        problem = "This template is for another channel."
    elif template.purpose != purpose:
        problem = "This template is for another purpose."
    elif template.creditor_id not in (None, account.creditor_id):
        problem = "This template belongs to another creditor."
    if problem:
        raise ApplicationError(problem, {"code": "template_unusable", "template": template.pk})
    return template


def _free_text_checked(*, body: str, subject: str, channel: str, language: str, account: Account) -> None:
    """Free text from a person still gets the care check's hard line: no threats, abuse, shaming, false
    or misleading wording (compliance reference §5). Length and grade are for templates."""
    creditor = account.creditor
    jurisdiction = creditor.country + (f"-{creditor.region}" if creditor.region else "")
    report = care_check(body=body, subject=subject, channel=channel, language=language,
                        jurisdiction=jurisdiction)
    harmful = [f for f in report.findings if f.category in HARMFUL_CATEGORIES]
    if harmful:
        raise ApplicationError(
            "This message has wording we never use with customers. Please rephrase it.",
            {"code": "care_check_failed", "findings": [asdict(f) for f in harmful]},
        )


def _free_text_source(body: str, channel: str) -> str:
    """Free text keeps the disclosures a template would carry (opt-out line; US collector line)."""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return body.strip() + " {% if collector_disclosure %}{{ collector_disclosure }} {% endif %}{{ opt_out }}"
    if channel == Channel.EMAIL:
        return body.strip() + "\n\n{% if collector_disclosure %}{{ collector_disclosure }}\n{% endif %}{{ opt_out }}"
    return body


def _addresses(*, channel: str, customer: Customer, account: Account) -> tuple[str, str]:
    creditor = account.creditor
    if channel == Channel.EMAIL:
        sender = settings.DEFAULT_FROM_EMAIL
        name = creditor.sender_email_name or creditor.display_name
        return customer.email, f"{name} <{sender}>" if name else sender
    if channel == Channel.SMS:
        return customer.phone, settings.TWILIO_SMS_FROM or creditor.sender_sms_id
    if channel == Channel.WHATSAPP:
        return customer.phone, settings.TWILIO_WHATSAPP_FROM
    return customer.phone, creditor.support_phone


def message_queue(
    *,
    customer: Customer,
    account: Account,
    channel: str,
    purpose: str,
    actor,
    template: MessageTemplate | None = None,
    body: str | None = None,
    subject: str | None = None,
    source: str,
    case: Case | None = None,
    extra_context: dict | None = None,
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> Message:
    """Queue one outbound message through the contact gate.

    Picks the approved template (customer's language → creditor's default → English; ``channel`` may be
    ``"preferred"``) unless free text ``body`` is given, renders it with the real context and a new
    personal pay link, asks ``compliance.services.contact_reserve`` and stores the decision. Blocked →
    the message is returned with status ``blocked`` and ``next_allowed_at`` (callers reschedule).
    Allowed → status ``queued``, and the send task is enqueued after commit. A repeated
    ``idempotency_key`` returns the message already made for it; nothing is reserved or sent twice.
    WhatsApp outside 24 hours of the customer's last inbound WhatsApp message: only a template
    WhatsApp approved (``ApplicationError`` code ``whatsapp_window`` otherwise)."""
    if idempotency_key:
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        return _message_queue(
            customer=customer, account=account, channel=channel, purpose=purpose, actor=actor, template=template,
            body=body, subject=subject, source=source, case=case, extra_context=extra_context,
            idempotency_key=idempotency_key or uuid.uuid4().hex, at=at,
        )
    except IntegrityError:
        # Two callers with one key at once: the other one won; its message is the answer.
        existing = Message.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return existing


@transaction.atomic
def _message_queue(*, customer, account, channel, purpose, actor, template, body, subject, source, case,
                   extra_context, idempotency_key, at) -> Message:
    if account.customer_id != customer.pk:
        raise ApplicationError("The account belongs to another customer.", {"code": "customer_mismatch"})
    if source not in MessageSource.values or source == MessageSource.INBOUND:
        raise ApplicationError("Unknown message source.", {"code": "source", "source": source})
    if purpose not in Purpose.values:
        raise ApplicationError("Unknown message purpose.", {"code": "purpose", "purpose": purpose})
    channel = _resolve_channel(channel, customer)
    now = timezone.now()
    at = at or now
    case = case or Case.objects.filter(account=account).first()
    free_text = body is not None
    if free_text and not body.strip():
        raise ApplicationError("The message is empty.", {"code": "empty", "field": "body"})
    if free_text and template is not None:
        raise ApplicationError("Give a template or a text, not both.", {"code": "template_and_body"})
    if channel == Channel.VOICE:
        template, free_text = None, True
        body = body or ""
    elif not free_text:
        template = _choose_template(template=template, purpose=purpose, channel=channel, customer=customer,
                                    account=account)
    language = template.language if template is not None else customer.language
    if free_text and channel != Channel.VOICE:
        _free_text_checked(body=body, subject=subject or "", channel=channel, language=language, account=account)
    if channel == Channel.WHATSAPP and not (template is not None and template.whatsapp_approved):
        if not whatsapp_window_open(customer=customer, at=at):
            raise ApplicationError(
                "WhatsApp allows free messages only within 24 hours of the customer's last WhatsApp message. "
                "Outside that window, send a template WhatsApp has approved, or use another channel.",
                {"code": "whatsapp_window", "channel": channel},
            )

    # Render first: the gate's reservation holds the audit chain's lock until commit, so only the
    # inserts come after it. A blocked message keeps no text (nothing was said).
    source_text = body if free_text else template.body
    source_subject = (subject or "") if free_text else template.subject
    link = None
    if "pay_link" in source_text or "pay_link" in source_subject:
        link = PayLink(code=new_code(), account=account, created_by=actor, created_at=now,
                       expires_at=now + timedelta(days=settings.OUTREACH_PAY_LINK_DAYS))
    context = message_context(customer=customer, account=account, channel=channel, language=language, case=case,
                              actor=actor, pay_link_url=link.url if link else "", extra=extra_context)
    rendered_subject, rendered_body = "", body or ""
    if channel != Channel.VOICE:
        draft = template
        if free_text:
            draft = SimpleNamespace(channel=channel, body=_free_text_source(body, channel),
                                    subject=(subject or "") if channel == Channel.EMAIL else "")
        try:
            rendered = render_message(template=draft, context=context)
        except TemplateProblem as problem:
            raise ApplicationError(problem.message, {**problem.as_dict(), "code": "template_syntax"}) from problem
        rendered_subject, rendered_body = rendered.subject, rendered.body
        if link is not None and link.url not in rendered.body and link.url not in rendered.subject:
            link = None  # the text did not use it after all

    decision = compliance.contact_reserve(customer=customer, account=account, channel=channel,
                                          purpose=gate_purpose(purpose, source), actor=actor, at=at)
    to_address, from_address = _addresses(channel=channel, customer=customer, account=account)
    message = Message(
        customer=customer, account=account, case=case, direction=Direction.OUTBOUND, channel=channel,
        purpose=purpose, source=source, template=template,
        template_version=template.version if template is not None else None, language=language,
        to_address=to_address, from_address=from_address, gate_decision=decision,
        idempotency_key=idempotency_key, scheduled_at=at, actor=actor, created_at=now,
    )
    if not decision.allowed:
        message.status = MessageStatus.BLOCKED
        message.next_allowed_at = decision.next_allowed_at
        message.status_reason = ", ".join(decision.reasons)[:200]
        return message_save(message, actor=actor, reason="Blocked by the contact gate")

    attempt = decision.attempt
    message.subject, message.body = rendered_subject, rendered_body
    message.status, message.queued_at, message.contact_attempt = MessageStatus.QUEUED, now, attempt
    message_save(message, actor=actor, reason="Queued")
    if link is not None:
        link.message = message
        pay_link_save(link, actor=actor, reason="Pay link created")

    from ..tasks import send_message

    eta = at if at > now + timedelta(seconds=1) else None
    transaction.on_commit(lambda: send_message.apply_async(args=[message.pk], eta=eta))
    return message
