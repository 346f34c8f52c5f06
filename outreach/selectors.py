"""Reads for message templates, including the language fallback used when sending."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .choices import TemplateStatus
from .models import MessageTemplate

FALLBACK_LANGUAGE = "en"


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
