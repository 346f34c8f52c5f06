"""Promises to pay: taken by an agent (or the customer), reminded before, checked after."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from collections_crm import money
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked, system_user
from compliance.audit import audit_record

from ..choices import PromiseStatus
from ..models import PromiseToPay
from .ledger import lock_account
from .policy import policy_for

ZERO = Decimal("0")
REMIND_DAYS_BEFORE = 1


@transaction.atomic
def promise_create(*, actor, account: Account, amount: Decimal, due_date: date, channel: str,
                   currency: str | None = None) -> PromiseToPay:
    account = lock_account(account.pk)
    if account.is_closed:
        raise ApplicationError("This account is closed.", {"code": "account_closed"})
    if currency and currency != account.currency:
        raise ApplicationError(f"This account is in {account.currency}, not {currency}.", {"code": "currency_mismatch"})
    if amount is None or amount <= ZERO:
        raise ApplicationError("A promise must be for more than zero.", {"code": "amount_not_positive"})
    if amount > account.balance:
        raise ApplicationError("That is more than the balance.", {"code": "amount_above_balance"})
    try:
        money.to_minor(amount, account.currency)
    except money.MoneyError as exc:
        raise ApplicationError(str(exc), {"code": "amount_precision"}) from None
    if due_date < timezone.localdate():
        raise ApplicationError("The promised date is in the past.", {"code": "date_in_past"})
    promise = PromiseToPay(account=account, amount=amount, currency=account.currency, due_date=due_date,
                           channel=channel, taken_by=actor)
    save_tracked(promise, actor=actor, reason="Promise taken")
    audit_record(actor=actor, action="promise.taken", obj=promise, account=account,
                 payload={"amount": str(amount), "due_date": due_date.isoformat(), "channel": channel})
    return promise


@transaction.atomic
def promise_cancel(*, actor, promise: PromiseToPay, reason: str = "") -> PromiseToPay:
    promise = PromiseToPay.objects.select_for_update().get(pk=promise.pk)
    if promise.status != PromiseStatus.OPEN:
        raise ApplicationError("This promise is no longer open.", {"code": "bad_state"})
    promise.status, promise.resolved_at = PromiseStatus.CANCELLED, timezone.now()
    save_tracked(promise, actor=actor, reason=reason or "Promise cancelled")
    audit_record(actor=actor, action="promise.cancelled", obj=promise, account=promise.account,
                 payload={"reason": reason})
    return promise


def _promise_reminder(*, promise: PromiseToPay, actor, today: date, at: datetime | None):
    """A gentle heads-up before the promised date, on the customer's channel, through the contact gate.
    Uses the pre-due nudge with the promised amount and date (once per promise per day)."""
    from outreach.choices import MessageSource
    from outreach.context import date_text, money_text
    from outreach.services import message_queue

    account, customer = promise.account, promise.account.customer
    remaining = promise.amount - promise.paid_amount
    try:
        return message_queue(
            customer=customer, account=account, channel="preferred", purpose="pre_due_nudge", actor=actor,
            source=MessageSource.PROACTIVE, idempotency_key=f"promise-reminder:{promise.pk}:{today.isoformat()}",
            at=at, extra_context={
                "amount_due": money_text(remaining, account.currency, customer.language, account.creditor.country),
                "due_date": date_text(promise.due_date, customer.language),
            },
        )
    except ApplicationError:
        return None  # no address for that channel, or no template: the agent sees the promise on the desk


def promises_run_daily(*, today: date | None = None, at: datetime | None = None) -> dict:
    """Remind before the date (a message through the gate; tried again the next day when the gate held it
    back); after the date plus the creditor's grace, a promise not fully paid is broken (payments keep
    promises as they arrive, in ``ledger``)."""
    from outreach.choices import MessageStatus

    today = today or timezone.localdate()
    actor = system_user()
    counts = {"reminders": 0, "broken": 0}
    for promise in PromiseToPay.objects.filter(status=PromiseStatus.OPEN).select_related(
            "account__creditor", "account__customer"):
        with transaction.atomic():
            if promise.reminded_at is None and today <= promise.due_date <= today + timedelta(days=REMIND_DAYS_BEFORE):
                message = _promise_reminder(promise=promise, actor=actor, today=today, at=at)
                if message is not None and message.status != MessageStatus.BLOCKED:
                    promise.reminded_at = timezone.now()
                    save_tracked(promise, actor=actor, reason="Reminder sent")
                    counts["reminders"] += 1
            grace = policy_for(promise.account.creditor).grace_days
            if promise.due_date + timedelta(days=grace) < today:
                promise.status, promise.resolved_at = PromiseStatus.BROKEN, timezone.now()
                save_tracked(promise, actor=actor, reason="Promise not kept")
                audit_record(actor=actor, action="promise.broken", obj=promise, account=promise.account,
                             payload={"paid": str(promise.paid_amount), "promised": str(promise.amount)})
                counts["broken"] += 1
    return counts
