"""Writes for messages: queue an outbound message through the contact gate, move it through its
states, and log calls. Sending itself is ``outreach.services.sending`` (run by the Celery task)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import Channel
from accounts.models import Account, Case, Customer
from collections_crm.errors import ApplicationError
from collections_crm.history import history_copy_rows, save_tracked
from compliance import services as compliance
from compliance.audit import audit_appends_deferred
from compliance.choices import Purpose as GatePurpose

from ..care import care_check
from ..care_phrases import BLOCKED
from ..choices import MESSAGE_TRANSITIONS, Direction, MessageSource, MessageStatus, Purpose, TemplateStatus
from ..context import active_plans_for, message_context
from ..models import Message, MessageTemplate, PayLink
from ..paylinks import new_code
from ..rendering import TemplateProblem, render_message
from ..selectors import template_for, whatsapp_windows_open

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


@dataclass(frozen=True)
class QueueItem:
    """One message to queue with ``message_queue_many`` (the per-message arguments of ``message_queue``)."""

    customer: Customer
    account: Account
    channel: str
    purpose: str
    case: Case | None = None
    extra_context: dict | None = None
    idempotency_key: str | None = None
    template: MessageTemplate | None = None
    body: str | None = None
    subject: str | None = None


@dataclass
class _Draft:
    """An item that passed the checks and was rendered, waiting for the gate."""

    item: QueueItem
    channel: str
    case: Case | None
    template: MessageTemplate | None
    language: str
    subject: str
    body: str
    link: PayLink | None
    idempotency_key: str


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
    WhatsApp approved (``ApplicationError`` code ``whatsapp_window`` otherwise).
    The same as ``message_queue_many`` with one item, raising its error."""
    item = QueueItem(customer=customer, account=account, channel=channel, purpose=purpose, case=case,
                     extra_context=extra_context, idempotency_key=idempotency_key, template=template, body=body,
                     subject=subject)
    result = message_queue_many(items=[item], actor=actor, source=source, at=at)[0]
    if isinstance(result, ApplicationError):
        raise result
    return result


def message_queue_many(*, items: Sequence[QueueItem], actor, source: str, at: datetime | None = None
                       ) -> list[Message | ApplicationError]:
    """Queue many messages at once: the same rules and results as ``message_queue`` for each item in
    order, in one transaction with one gate call (``contact_reserve_many``), bulk writes and one send
    task per ``OUTREACH_SEND_BATCH`` queued messages after commit.

    Returns one entry per item, in order: its Message (queued, blocked, or the one already made for its
    idempotency key), or the ``ApplicationError`` ``message_queue`` would have raised for it (no
    template, WhatsApp window, bad input …); the other items go on. A bad ``source`` refuses the batch."""
    if source not in MessageSource.values or source == MessageSource.INBOUND:
        raise ApplicationError("Unknown message source.", {"code": "source", "source": source})
    items = list(items)
    if not items:
        return []
    for attempt in range(3):
        try:
            return _queue_many(items=items, actor=actor, source=source, at=at)
        except IntegrityError:
            # Another caller made a message with one of our keys at the same moment: the batch was rolled
            # back; again, its message is now found by its key (the answer for that item).
            if attempt == 2 or not any(item.idempotency_key for item in items):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _existing_by_key(items: Sequence[QueueItem]) -> dict[str, Message]:
    keys = {item.idempotency_key for item in items if item.idempotency_key}
    if not keys:
        return {}
    return {m.idempotency_key: m for m in Message.objects.filter(idempotency_key__in=keys)}


def _default_cases(items: Sequence[QueueItem]) -> dict[int, Case]:
    """The account's case where the item gives none (as ``Case.objects.filter(account=…).first()``)."""
    account_ids = {item.account.pk for item in items if item.case is None}
    cases: dict[int, Case] = {}
    if account_ids:
        for case in Case.objects.filter(account_id__in=account_ids).order_by("pk"):
            cases.setdefault(case.account_id, case)
    return cases


def _item_checked(item: QueueItem, *, templates: dict, cases: dict) -> tuple:
    """The per-message rules before rendering: (channel, case, template, language, free_text, body)."""
    customer, account, purpose = item.customer, item.account, item.purpose
    body, subject, template = item.body, item.subject, item.template
    if account.customer_id != customer.pk:
        raise ApplicationError("The account belongs to another customer.", {"code": "customer_mismatch"})
    if purpose not in Purpose.values:
        raise ApplicationError("Unknown message purpose.", {"code": "purpose", "purpose": purpose})
    channel = _resolve_channel(item.channel, customer)
    case = item.case or cases.get(account.pk)
    free_text = body is not None
    if free_text and not body.strip():
        raise ApplicationError("The message is empty.", {"code": "empty", "field": "body"})
    if free_text and template is not None:
        raise ApplicationError("Give a template or a text, not both.", {"code": "template_and_body"})
    if channel == Channel.VOICE:
        template, free_text = None, True
        body = body or ""
    elif not free_text:
        if template is None:
            # One query per (purpose, channel, language, creditor) in a batch.
            key = (purpose, channel, customer.language, account.creditor_id)
            if key not in templates:
                templates[key] = template_for(purpose=purpose, channel=channel, language=customer.language,
                                              creditor=account.creditor)
            if templates[key] is None:
                raise ApplicationError(
                    "There is no approved template for this message.",
                    {"code": "no_template", "purpose": purpose, "channel": channel, "language": customer.language},
                )
        template = _choose_template(template=template or templates[key], purpose=purpose, channel=channel,
                                    customer=customer, account=account)
    language = template.language if template is not None else customer.language
    if free_text and channel != Channel.VOICE:
        _free_text_checked(body=body, subject=subject or "", channel=channel, language=language, account=account)
    return channel, case, template, language, free_text, body


def _rendered(*, item: QueueItem, channel, case, template, language, free_text, body, actor, now, plans) -> tuple:
    """(subject, body, pay link or None) for an item: the real context and, when the text uses it, a
    new personal pay link."""
    subject, account = item.subject, item.account
    source_text = body if free_text else template.body
    source_subject = (subject or "") if free_text else template.subject
    link = None
    if "pay_link" in source_text or "pay_link" in source_subject:
        link = PayLink(code=new_code(), account=account, created_by=actor, created_at=now,
                       expires_at=now + timedelta(days=settings.OUTREACH_PAY_LINK_DAYS))
    context = message_context(customer=item.customer, account=account, channel=channel, language=language,
                              case=case, actor=actor, pay_link_url=link.url if link else "", extra=item.extra_context,
                              plan=plans.get(account.pk))
    if channel == Channel.VOICE:
        return "", body or "", link
    draft = template
    if free_text:
        draft = SimpleNamespace(channel=channel, body=_free_text_source(body, channel),
                                subject=(subject or "") if channel == Channel.EMAIL else "")
    try:
        rendered = render_message(template=draft, context=context)
    except TemplateProblem as problem:
        raise ApplicationError(problem.message, {**problem.as_dict(), "code": "template_syntax"}) from problem
    if link is not None and link.url not in rendered.body and link.url not in rendered.subject:
        link = None  # the text did not use it after all
    return rendered.subject, rendered.body, link


@transaction.atomic
def _queue_many(*, items: list[QueueItem], actor, source: str, at: datetime | None) -> list:
    now = timezone.now()
    at = at or now
    existing = _existing_by_key(items)
    fresh = [i for i, item in enumerate(items) if not (item.idempotency_key and item.idempotency_key in existing)]
    cases = _default_cases([items[i] for i in fresh])
    templates: dict = {}
    results: list = [existing.get(item.idempotency_key) if item.idempotency_key else None for item in items]
    checked: dict[int, tuple] = {}
    for index in fresh:
        try:
            checked[index] = _item_checked(items[index], templates=templates, cases=cases)
        except ApplicationError as error:
            results[index] = error

    # WhatsApp free-form messages need the customer's 24-hour window: one query for the batch.
    needs_window = {index for index, (channel, _case, template, *_rest) in checked.items()
                    if channel == Channel.WHATSAPP and not (template is not None and template.whatsapp_approved)}
    open_windows = whatsapp_windows_open(customer_ids={items[i].customer.pk for i in needs_window}, at=at)
    plans = active_plans_for([items[i].account for i in checked])  # the plan_* variables: two queries
    drafts: dict[int, _Draft] = {}
    for index, (channel, case, template, language, free_text, body) in checked.items():
        item = items[index]
        try:
            if index in needs_window and item.customer.pk not in open_windows:
                raise ApplicationError(
                    "WhatsApp allows free messages only within 24 hours of the customer's last WhatsApp message. "
                    "Outside that window, send a template WhatsApp has approved, or use another channel.",
                    {"code": "whatsapp_window", "channel": channel},
                )
            # Render first: the gate's reservation holds the audit chain's lock until commit, so only the
            # inserts come after it. A blocked message keeps no text (nothing was said).
            subject, text, link = _rendered(item=item, channel=channel, case=case, template=template,
                                            language=language, free_text=free_text, body=body, actor=actor, now=now,
                                            plans=plans)
        except ApplicationError as error:
            results[index] = error
            continue
        drafts[index] = _Draft(item=item, channel=channel, case=case, template=template, language=language,
                               subject=subject, body=text, link=link,
                               idempotency_key=item.idempotency_key or uuid.uuid4().hex)

    # A key repeated in the batch: as in sequential calls, the first item that makes a message wins and
    # later ones get that message (an earlier failed one keeps its error: it made nothing).
    winner: dict[str, int] = {}
    aliases: dict[int, int] = {}
    for index in sorted(set(drafts) | {i for i in fresh if items[i].idempotency_key}):
        key = items[index].idempotency_key
        if key and key in winner:
            aliases[index] = winner[key]
            drafts.pop(index, None)
        elif index in drafts and key:
            winner[key] = index

    # The batch's audit events are chained at the end of its writes, so the chain's lock is held only
    # for the commit, not while the messages are written (concurrent producers overlap).
    with audit_appends_deferred():
        order = sorted(drafts)
        decisions = compliance.contact_reserve_many(
            requests=[compliance.ReserveRequest(customer=drafts[i].item.customer, account=drafts[i].item.account,
                                                channel=drafts[i].channel,
                                                purpose=gate_purpose(drafts[i].item.purpose, source)) for i in order],
            actor=actor, at=at,
        )
        messages: list[Message] = []
        for index, decision in zip(order, decisions, strict=True):
            draft = drafts[index]
            item = draft.item
            to_address, from_address = _addresses(channel=draft.channel, customer=item.customer, account=item.account)
            message = Message(
                customer=item.customer, account=item.account, case=draft.case, direction=Direction.OUTBOUND,
                channel=draft.channel, purpose=item.purpose, source=source, template=draft.template,
                template_version=draft.template.version if draft.template is not None else None, language=draft.language,
                to_address=to_address, from_address=from_address, gate_decision=decision,
                idempotency_key=draft.idempotency_key, scheduled_at=at, actor=actor, created_at=now,
            )
            if decision.allowed:
                message.subject, message.body = draft.subject, draft.body
                message.status, message.queued_at, message.contact_attempt = MessageStatus.QUEUED, now, decision.attempt
                message._change_reason = "Queued"
            else:
                message.status = MessageStatus.BLOCKED
                message.next_allowed_at = decision.next_allowed_at
                message.status_reason = ", ".join(decision.reasons)[:200]
                message._change_reason = "Blocked by the contact gate"
                draft.link = None
            message.full_clean(exclude=MESSAGE_FKS, validate_unique=False, validate_constraints=False)
            results[index] = message
            messages.append(message)
        _bulk_create_tracked(Message, messages, actor=actor)
        links = []
        for index in order:
            link = drafts[index].link
            if link is not None:
                link.message = results[index]
                link._change_reason = "Pay link created"
                link.full_clean(exclude=PAY_LINK_FKS, validate_unique=False, validate_constraints=False)
                links.append(link)
        _bulk_create_tracked(PayLink, links, actor=actor)

    for index, first in aliases.items():
        results[index] = results[first]

    queued = [m.pk for m in messages if m.status == MessageStatus.QUEUED]
    if queued:
        eta = at if at > now + timedelta(seconds=1) else None
        transaction.on_commit(lambda: messages_enqueue(message_ids=queued, eta=eta))
    return results


def _bulk_create_tracked(model, objs: list, *, actor) -> None:
    """Insert ``objs``, then their history rows (attributed to ``actor``, each with its ``_change_reason``)
    copied from the stored rows by the database: one INSERT … SELECT per reason."""
    if not objs:
        return
    model.objects.bulk_create(objs)
    by_reason: dict[str, list[int]] = {}
    for obj in objs:
        by_reason.setdefault(obj._change_reason, []).append(obj.pk)
    now = timezone.now()
    for reason, ids in by_reason.items():
        history_copy_rows(model, ids, history_type="+", actor=actor, reason=reason, at=now)


def messages_enqueue(*, message_ids: Sequence[int], eta: datetime | None = None) -> None:
    """Hand queued messages to the workers: one send task per ``OUTREACH_SEND_BATCH`` of them (a lone
    message goes to the single-message task)."""
    from ..tasks import send_message, send_messages

    size = max(1, settings.OUTREACH_SEND_BATCH)
    ids = list(message_ids)
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        if len(chunk) == 1:
            send_message.apply_async(args=[chunk[0]], eta=eta)
        else:
            send_messages.apply_async(args=[chunk], eta=eta)
