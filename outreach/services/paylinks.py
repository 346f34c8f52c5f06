"""Writes for personal pay links."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from ..models import Message, PayLink
from ..paylinks import new_code


@transaction.atomic
def pay_link_create(*, account: Account, actor, message: Message | None = None,
                    ttl: timedelta | None = None) -> PayLink:
    """A new personal pay link for ``account`` (optionally tied to the message that carries it),
    valid for ``ttl`` (default ``OUTREACH_PAY_LINK_DAYS`` days). ``link.url`` is what the customer gets."""
    ttl = ttl if ttl is not None else timedelta(days=settings.OUTREACH_PAY_LINK_DAYS)
    if ttl <= timedelta(0):
        raise ApplicationError("A pay link must be valid for some time.", {"ttl": str(ttl)})
    if message is not None and message.account_id != account.pk:
        raise ApplicationError("The message is about another account.", {"message": message.pk})
    now = timezone.now()
    link = PayLink(code=new_code(), account=account, message=message, created_by=actor, created_at=now,
                   expires_at=now + ttl)
    link.full_clean(exclude=("account", "message", "created_by"), validate_unique=False, validate_constraints=False)
    return save_tracked(link, actor=actor, reason="Pay link created", validate=False)


@transaction.atomic
def pay_link_revoke(*, pay_link: PayLink, actor, reason: str = "") -> PayLink:
    """Stop a link working (e.g. sent to a wrong number). Audited; revoking twice changes nothing."""
    link = PayLink.objects.select_for_update().get(pk=pay_link.pk)
    if link.revoked_at is not None:
        return link
    link.revoked_at, link.revoked_reason = timezone.now(), reason[:200]
    save_tracked(link, actor=actor, reason="Pay link revoked")
    audit_record(actor=actor, action="pay_link.revoked", obj=link, account=link.account,
                 payload={"pay_link_id": link.pk, "reason": reason[:200]})
    return link


def pay_link_mark_used(*, pay_link: PayLink, at=None) -> None:
    """Note when the customer last opened the link. ``last_used_at`` is excluded from history, so a plain
    update (no history row, no lock) is the right tool for a page view."""
    at = at or timezone.now()
    PayLink.objects.filter(pk=pay_link.pk).update(last_used_at=at)
    pay_link.last_used_at = at
