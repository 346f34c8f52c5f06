"""Writes for accounts. Each service takes keyword-only arguments and an ``actor``, validates, saves
with attributed history, and returns the object."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from collections_crm.history import save_tracked

from .models import Creditor

CREDITOR_EDITABLE = {
    "name", "display_name", "logo_url", "brand_primary", "brand_accent", "sender_email_name", "sender_sms_id",
    "tone_of_voice", "support_phone", "support_email", "country", "region", "currency", "default_phone_region",
    "default_language", "high_value_threshold", "min_instalment_amount", "max_plan_months",
    "settlement_floor_percent", "is_active",
}


@transaction.atomic
def creditor_create(*, actor, slug: str, **fields: Any) -> Creditor:
    """Register a creditor (its brand and policy)."""
    creditor = Creditor(slug=slug, **{k: v for k, v in fields.items() if k in CREDITOR_EDITABLE})
    return save_tracked(creditor, actor=actor, reason="Creditor created")


@transaction.atomic
def creditor_update(*, actor, creditor: Creditor, **fields: Any) -> Creditor:
    """Change a creditor's brand or policy; the history keeps what it was."""
    creditor = Creditor.objects.select_for_update().get(pk=creditor.pk)
    for key, value in fields.items():
        if key in CREDITOR_EDITABLE:
            setattr(creditor, key, value)
    return save_tracked(creditor, actor=actor, reason="Creditor updated")
