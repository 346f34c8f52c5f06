"""Reads for message templates, including the language fallback used when sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.utils import timezone

from .care import CareReport, care_check
from .choices import TemplateStatus
from .models import Message, MessageTemplate, PayLink
from .paylinks import code_is_well_formed
from .rendering import RenderedMessage, TemplateProblem, render_message, sample_context

FALLBACK_LANGUAGE = "en"
WHATSAPP_WINDOW = timedelta(hours=24)


def message_template_list() -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.select_related("creditor", "approved_by", "created_by")


def message_template_versions(*, template: MessageTemplate) -> QuerySet[MessageTemplate]:
    """Every version in the same slot (creditor, channel, language, purpose), newest first."""
    return message_template_list().filter(
        creditor=template.creditor_id, channel=template.channel, language=template.language,
        purpose=template.purpose,
    ).order_by("-version")


def language_chain(*, language: str, creditor=None) -> list[str]:
    """Customer's language → creditor's default language → English, without repeats."""
    chain: list[str] = []
    for lang in (language, getattr(creditor, "default_language", ""), FALLBACK_LANGUAGE):
        if lang and lang not in chain:
            chain.append(lang)
    return chain


def template_for(*, purpose: str, channel: str, language: str, creditor=None) -> MessageTemplate | None:
    """The approved template to send: for each language in ``language_chain``, the creditor's own
    template first, then the global one. One query."""
    chain = language_chain(language=language, creditor=creditor)
    scope = Q(creditor__isnull=True) | (Q(creditor=creditor) if creditor is not None else Q(pk__in=[]))
    candidates = list(
        message_template_list().filter(
            scope, purpose=purpose, channel=channel, language__in=chain, status=TemplateStatus.APPROVED
        )
    )

    def rank(t: MessageTemplate) -> tuple[int, int]:
        return (chain.index(t.language), 0 if t.creditor_id else 1)

    return min(candidates, key=rank) if candidates else None


@dataclass(frozen=True)
class TemplatePreview:
    """What the editor shows while a supervisor types: the problem (syntax / unknown variable) if
    any, else the message rendered on a sample customer, and always the care report."""

    problem: dict | None
    rendered: RenderedMessage | None
    care: CareReport
    jurisdiction: str


def template_preview(
    *, body: str, subject: str = "", channel: str, language: str, purpose: str = "", creditor=None
) -> TemplatePreview:
    jurisdiction = "*"
    if creditor is not None:
        jurisdiction = creditor.country + (f"-{creditor.region}" if creditor.region else "")
    care = care_check(
        body=body, subject=subject, channel=channel, language=language, jurisdiction=jurisdiction, purpose=purpose
    )
    draft = SimpleNamespace(body=body, subject=subject if channel == "email" else "", channel=channel)
    try:
        rendered = render_message(
            template=draft,
            context=sample_context(
                channel=channel, language=language, creditor=creditor,
                jurisdiction="US" if jurisdiction == "*" else jurisdiction,
            ),
        )
    except TemplateProblem as problem:
        return TemplatePreview(problem=problem.as_dict(), rendered=None, care=care, jurisdiction=jurisdiction)
    return TemplatePreview(problem=None, rendered=rendered, care=care, jurisdiction=jurisdiction)


# ---- messages and pay links ------------------------------------------------------------------------


def message_list() -> QuerySet[Message]:
    """Messages with what lists and the timeline show already joined."""
    return Message.objects.select_related(
        "customer", "account", "account__creditor", "template", "gate_decision", "actor"
    )


def messages_for_account(account) -> QuerySet[Message]:
    """Every interaction about one account (outbound, inbound, calls), newest first."""
    return message_list().filter(account=account).order_by("-created_at", "-id")


def whatsapp_window_open(*, customer, at: datetime | None = None) -> bool:
    """WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's
    last inbound WhatsApp message."""
    at = at or timezone.now()
    return Message.objects.filter(
        customer=customer, channel="whatsapp", direction="inbound", created_at__gt=at - WHATSAPP_WINDOW,
        created_at__lte=at,
    ).exists()


def whatsapp_windows_open(*, customer_ids, at: datetime | None = None) -> set[int]:
    """``whatsapp_window_open`` for many customers in one query: the ids whose window is open."""
    at = at or timezone.now()
    if not customer_ids:
        return set()
    return set(Message.objects.filter(
        customer_id__in=customer_ids, channel="whatsapp", direction="inbound", created_at__gt=at - WHATSAPP_WINDOW,
        created_at__lte=at,
    ).values_list("customer_id", flat=True).distinct())


def pay_link_resolve(code: str) -> PayLink | None:
    """The usable pay link for ``code``, or None when it is unknown, forged, expired or revoked
    (callers show one neutral page for all of these). A code whose check fails never reaches the
    database."""
    if not code_is_well_formed(code):
        return None
    link = PayLink.objects.select_related("account", "account__creditor", "account__customer").filter(
        code=code
    ).first()
    if link is None or not link.is_usable():
        return None
    return link
