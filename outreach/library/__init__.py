"""The default template library: kind, plain messages for every purpose, in English and Nigerian
Pidgin, and in French and Spanish. One module per language (``en``, ``pcm``, ``fr``, ``es``) holds
the words; this module assembles them into templates for SMS, email and WhatsApp.

Every library template is global (any creditor), so it carries ``{{ collector_disclosure }}`` and
``{{ opt_out }}``: they render the US disclosures where the creditor is in the US, and the opt-out
line everywhere. The opt-out confirmation carries nothing but the confirmation
(12 CFR 1006.14(h)(2)(i)). Loading: ``manage.py load_default_templates`` (idempotent), also run by a
data migration so a fresh database starts with the library.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

LANGUAGES = ("en", "pcm", "fr", "es")
CHANNELS = ("sms", "email", "whatsapp")
NO_DISCLOSURE_PURPOSES = {"opt_out_confirmation"}
DISCLOSURES_INLINE = " {% if collector_disclosure %}{{ collector_disclosure }} {% endif %}{{ opt_out }}"
DISCLOSURES_BLOCK = "\n\n{% if collector_disclosure %}{{ collector_disclosure }}\n{% endif %}{{ opt_out }}"


@dataclass(frozen=True)
class LibraryEntry:
    language: str
    purpose: str
    channel: str
    subject: str
    body: str


def library_entries() -> Iterator[LibraryEntry]:
    """Every default template, ready to save (global scope)."""
    for language in LANGUAGES:
        module = importlib.import_module(f"outreach.library.{language}")
        for purpose, words in module.LIBRARY.items():
            disclose = purpose not in NO_DISCLOSURE_PURPOSES
            for channel in CHANNELS:
                if channel == "email":
                    body = words["email"]
                    if disclose:
                        body = f"{body}\n\n{module.SIGN_OFF}{DISCLOSURES_BLOCK}"
                    yield LibraryEntry(language, purpose, channel, words["subject"], body)
                else:
                    body = words.get(channel, words["sms"])
                    yield LibraryEntry(language, purpose, channel, "", body + (DISCLOSURES_INLINE if disclose else ""))


def library_load(*, actor) -> dict:
    """Create and approve each library template whose slot (global, channel, language, purpose) has no
    approved template yet. Never overwrites: a supervisor's own version stays. Returns counts."""
    from ..choices import TemplateStatus
    from ..models import MessageTemplate
    from ..services import message_template_approve, message_template_create

    created = skipped = 0
    for entry in library_entries():
        exists = MessageTemplate.objects.filter(
            creditor__isnull=True, channel=entry.channel, language=entry.language, purpose=entry.purpose,
            status=TemplateStatus.APPROVED,
        ).exists()
        if exists:
            skipped += 1
            continue
        template = message_template_create(
            actor=actor, channel=entry.channel, language=entry.language, purpose=entry.purpose,
            subject=entry.subject, body=entry.body,
        )
        message_template_approve(actor=actor, template=template)
        created += 1
    return {"created": created, "skipped": skipped}
