"""Settlements: a lump sum at a discount that closes the account as settled once paid. At or above the
creditor's floor an agent may offer it; below the floor (or with no floor set) a supervisor approves."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from collections_crm import money
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .. import wording
from ..choices import SettlementStatus
from ..models import Settlement
from .ledger import lock_account
from .policy import policy_for

ZERO = Decimal("0")


@transaction.atomic
def settlement_offer(*, actor, account: Account, amount: Decimal, expires_on: date | None = None,
                     currency: str | None = None, language: str | None = None) -> Settlement:
    account = lock_account(account.pk)
    policy = policy_for(account.creditor)
    if not policy.settlement_allowed:
        raise ApplicationError("This creditor does not offer settlements.", {"code": "not_allowed"})
    if account.is_closed:
        raise ApplicationError("This account is closed.", {"code": "account_closed"})
    if currency and currency != account.currency:
        raise ApplicationError(f"This account is in {account.currency}, not {currency}.", {"code": "currency_mismatch"})
    if amount is None or amount <= ZERO:
        raise ApplicationError("A settlement must be more than zero.", {"code": "amount_not_positive"})
    if amount > account.balance:
        raise ApplicationError("A settlement cannot be more than the balance.", {"code": "amount_above_balance"})
    try:
        money.to_minor(amount, account.currency)
    except money.MoneyError as exc:
        raise ApplicationError(str(exc), {"code": "amount_precision"}) from None
    today = timezone.localdate()
    expires_on = expires_on or today + timedelta(days=policy.settlement_offer_days)
    if expires_on < today:
        raise ApplicationError("The offer's end date is in the past.", {"code": "date_in_past"})
    percent = (amount * 100 / account.balance).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    floor = account.creditor.settlement_floor_percent
    below = floor is None or percent < floor
    language = language or account.customer.language
    settlement = Settlement(
        account=account, status=SettlementStatus.PENDING_APPROVAL if below else SettlementStatus.OFFERED,
        balance_at_offer=account.balance, amount=amount, currency=account.currency, percent=percent,
        expires_on=expires_on, below_floor=below, proposed_by=actor, terms_language=language,
        terms_text=wording.settlement_terms(
            language=language, creditor=account.creditor.display_name, reference=account.reference,
            currency=account.currency, amount=amount, balance=account.balance, expires=expires_on,
        ),
    )
    save_tracked(settlement, actor=actor, reason="Settlement proposed")
    audit_record(actor=actor, action="settlement.proposed", obj=settlement, account=account,
                 payload={"amount": str(amount), "percent": str(percent), "below_floor": below})
    return settlement


@transaction.atomic
def settlement_approve(*, actor, settlement: Settlement) -> Settlement:
    if not actor.has_role("supervisor"):
        raise ApplicationError("Only a supervisor can approve a settlement below the floor.", {"code": "forbidden"})
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status != SettlementStatus.PENDING_APPROVAL:
        raise ApplicationError("This settlement is not waiting for approval.", {"code": "bad_state"})
    settlement.status, settlement.approved_by, settlement.approved_at = SettlementStatus.OFFERED, actor, timezone.now()
    save_tracked(settlement, actor=actor, reason="Settlement approved")
    audit_record(actor=actor, action="settlement.approved", obj=settlement, account=settlement.account,
                 payload={"percent": str(settlement.percent)})
    return settlement


@transaction.atomic
def settlement_accept(*, actor, settlement: Settlement, channel: str, ip: str | None = None) -> Settlement:
    account = lock_account(settlement.account_id)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status == SettlementStatus.PENDING_APPROVAL:
        raise ApplicationError("This offer needs a supervisor's approval first.", {"code": "needs_approval"})
    if settlement.status != SettlementStatus.OFFERED:
        raise ApplicationError("This offer can no longer be accepted.", {"code": "bad_state"})
    if settlement.expires_on < timezone.localdate():
        settlement.status = SettlementStatus.EXPIRED
        save_tracked(settlement, actor=actor, reason="Expired")
        raise ApplicationError("This offer has expired.", {"code": "expired"})
    if account.balance != settlement.balance_at_offer:
        raise ApplicationError("The balance has changed since this offer was made.", {"code": "stale"})
    settlement.status, settlement.accepted_at = SettlementStatus.ACCEPTED, timezone.now()
    settlement.accepted_channel, settlement.accepted_ip = channel, ip or None
    save_tracked(settlement, actor=actor, reason="Settlement accepted")
    audit_record(actor=actor, action="settlement.accepted", obj=settlement, account=account,
                 payload={"channel": channel, "ip": ip, "terms_text": settlement.terms_text})
    return settlement


@transaction.atomic
def settlement_cancel(*, actor, settlement: Settlement, reason: str = "") -> Settlement:
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status in (SettlementStatus.PAID, SettlementStatus.CANCELLED, SettlementStatus.EXPIRED):
        raise ApplicationError("This settlement has already ended.", {"code": "bad_state"})
    settlement.status = SettlementStatus.CANCELLED
    save_tracked(settlement, actor=actor, reason=reason or "Cancelled")
    audit_record(actor=actor, action="settlement.cancelled", obj=settlement, account=settlement.account,
                 payload={"reason": reason})
    return settlement
