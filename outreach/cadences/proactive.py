"""Proactive messages that help rather than chase: an instalment due soon, a saved card about to expire,
and a check-in (not a demand) when a long-standing customer with a clean record misses a first payment.

Candidates are selected set-wise (querysets, then the gate's set-wise pre-filter); each is sent through
message_queue so the gate decides. A candidate the gate blocks is tried again at a later run: the message
idempotency key carries the hour, so a run repeated within the hour sends nothing twice, and the
``reminded_at`` / ``expiring_reported_at`` marks (or the check-in's own key) stop repeats once sent."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Account
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from payments.choices import InstalmentStatus, PlanStatus
from payments.models import Instalment, InstalmentPlan, SavedPaymentMethod


def reminder_days() -> int:
    return int(getattr(settings, "OUTREACH_INSTALMENT_REMINDER_DAYS", 3))


def checkin_min_years() -> int:
    return int(getattr(settings, "OUTREACH_CHECKIN_MIN_YEARS", 3))


def _contactable(account_ids: QuerySet, *, at: datetime) -> set[int]:
    """Accounts the gate's set-wise form allows on the customer's preferred channel now."""
    from accounts.choices import Channel
    from compliance.selectors import contactable_accounts

    allowed: set[int] = set()
    for channel in Channel.values:
        part = Account.objects.filter(pk__in=account_ids, customer__preferred_channel=channel)
        allowed |= set(contactable_accounts(queryset=part, channel=channel, at=at).values_list("pk", flat=True))
    return allowed


def instalments_to_remind(*, today: date) -> QuerySet[Instalment]:
    """Unpaid instalments of active plans falling due within the reminder window, not yet reminded."""
    return Instalment.objects.filter(
        plan__status=PlanStatus.ACTIVE, status__in=(InstalmentStatus.DUE, InstalmentStatus.PARTIAL),
        reminded_at__isnull=True, due_date__gte=today, due_date__lte=today + timedelta(days=reminder_days()),
    )


def _months_ending_within(today: date, days: int) -> list[tuple[int, int]]:
    """(year, month) of every card expiry month whose last day falls in [today, today + days]."""
    out, y, m = [], today.year, today.month
    while True:
        last = date(y, m, calendar.monthrange(y, m)[1])
        if last > today + timedelta(days=days):
            return out
        if last >= today:
            out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def cards_expiring(*, today: date) -> QuerySet[SavedPaymentMethod]:
    """Active saved cards paying an active plan that expire within 30 days and were not yet mentioned."""
    months = Q(pk__in=[])
    for y, m in _months_ending_within(today, 30):
        months |= Q(exp_year=y, exp_month=m)
    paying = InstalmentPlan.objects.filter(autopay_method_id=OuterRef("pk"), status=PlanStatus.ACTIVE)
    return SavedPaymentMethod.objects.filter(months, is_active=True, expiring_reported_at__isnull=True).filter(
        Exists(paying))


def first_misses(*, today: date) -> QuerySet[Instalment]:
    """Missed instalments of customers with us for years whose record is otherwise clean: no other missed
    instalment, no broken plan, and no check-in sent before."""
    from outreach.models import Message

    since = today.replace(year=today.year - checkin_min_years()) if not (today.month == 2 and today.day == 29) \
        else date(today.year - checkin_min_years(), 2, 28)
    customer = OuterRef("plan__account__customer_id")
    other_miss = Instalment.objects.filter(plan__account__customer_id=customer, status=InstalmentStatus.MISSED
                                           ).exclude(pk=OuterRef("pk"))
    broken = InstalmentPlan.objects.filter(account__customer_id=customer, status=PlanStatus.BROKEN)
    checked_in = Message.objects.filter(customer_id=customer, purpose="first_miss_checkin")
    return Instalment.objects.filter(
        status=InstalmentStatus.MISSED, plan__account__customer__customer_since__lte=since,
        due_date__gte=today - timedelta(days=14),
    ).exclude(Exists(other_miss)).exclude(Exists(broken)).exclude(Exists(checked_in))


def _send(*, account: Account, purpose: str, key: str, actor, at: datetime):
    from outreach.services import message_queue

    try:
        return message_queue(customer=account.customer, account=account, channel="preferred", purpose=purpose,
                             actor=actor, source="proactive", idempotency_key=key, at=at)
    except ApplicationError:
        return None


def proactive_run(*, actor, at: datetime | None = None) -> dict:
    """One pass over the three proactive triggers. Returns counts per trigger and outcome."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    slot = f"{at:%Y%m%d%H}"
    counts: dict[str, int] = {}

    def tally(name, message):
        outcome = "failed" if message is None else ("blocked" if message.status == "blocked" else "sent")
        counts[f"{name}_{outcome}"] = counts.get(f"{name}_{outcome}", 0) + 1
        return outcome == "sent"

    due = instalments_to_remind(today=today).select_related("plan__account__customer")
    ok = _contactable(due.values("plan__account_id"), at=at)
    for inst in due:
        if inst.plan.account_id not in ok:
            continue
        message = _send(account=inst.plan.account, purpose="instalment_due", key=f"instalment-due:{inst.pk}:{slot}",
                        actor=actor, at=at)
        if tally("instalment_due", message):
            inst.reminded_at = at
            save_tracked(inst, actor=actor, reason="Instalment reminder sent")

    cards = cards_expiring(today=today)
    plans = {p.autopay_method_id: p for p in InstalmentPlan.objects.filter(
        autopay_method__in=cards, status=PlanStatus.ACTIVE).select_related("account__customer")}
    ok = _contactable(InstalmentPlan.objects.filter(autopay_method__in=cards, status=PlanStatus.ACTIVE)
                      .values("account_id"), at=at)
    for card in cards:
        plan = plans.get(card.pk)
        if plan is None or plan.account_id not in ok:
            continue
        message = _send(account=plan.account, purpose="card_expiring", key=f"card-expiring:{card.pk}:{slot}",
                        actor=actor, at=at)
        if tally("card_expiring", message):
            card.expiring_reported_at = at
            save_tracked(card, actor=actor, reason="Card expiry heads-up sent")

    misses = first_misses(today=today).select_related("plan__account__customer")
    ok = _contactable(misses.values("plan__account_id"), at=at)
    seen: set[int] = set()
    for inst in misses:
        customer_id = inst.plan.account.customer_id
        if inst.plan.account_id not in ok or customer_id in seen:
            continue
        seen.add(customer_id)
        tally("first_miss_checkin", _send(account=inst.plan.account, purpose="first_miss_checkin",
                                          key=f"first-miss:{customer_id}:{slot}", actor=actor, at=at))
    return counts
