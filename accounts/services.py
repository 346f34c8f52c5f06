"""Writes for accounts. Each service takes keyword-only arguments and an ``actor``, validates, saves
with attributed history, and returns the object."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from collections_crm.errors import ApplicationError
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


@transaction.atomic
def account_write_off(*, account, actor, reason: str):
    """Stop collecting this debt for good (a supervisor's decision): the account is written off, its case
    closes, and nothing more is sent. Refused for an account that is already closed."""
    from compliance.audit import audit_record

    from .choices import AccountStatus
    from .models import Account
    from .services_routing import account_reroute

    if not actor.has_role("supervisor"):
        raise ApplicationError("Only a supervisor can write off an account.", {"code": "forbidden"})
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.is_closed:
        raise ApplicationError("This account is already closed.", {"code": "closed", "status": account.status})
    account.status = AccountStatus.WRITTEN_OFF
    save_tracked(account, actor=actor, reason="Written off")
    audit_record(actor=actor, action="account.written_off", obj=account, account=account,
                 payload={"balance": str(account.balance), "reason_given": bool(reason)})
    account_reroute(account=account, actor=actor, reason="written off")
    return account
