"""Instalment plans: options within the creditor's policy, custom plans checked with plain reasons,
terms in plain words stored with the acceptance, supervisor approval for exceptions, the daily run
(reminders, missed instalments with grace, autopay retries) and broken plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from collections_crm import money
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked, system_user
from compliance.audit import audit_record

from .. import schedule, wording
from ..choices import Frequency, InstalmentStatus, PaymentPurpose, PaymentStatus, PlanKind, PlanStatus
from ..gateways import GatewayError, get_gateway
from ..models import Instalment, InstalmentPlan, Payment, PaymentPolicy
from .ledger import _after_money_moved, lock_account
from .policy import policy_for

ZERO = Decimal("0")
DAYS_PER_MONTH = 31


def rules_for(account: Account, policy: PaymentPolicy) -> schedule.PlanRules:
    creditor, cur = account.creditor, account.currency
    max_deferral = (account.balance * policy.max_deferral_percent / 100).quantize(money.quantum(cur))
    return schedule.PlanRules(
        min_instalment=money.to_minor(creditor.min_instalment_amount.quantize(money.quantum(cur)), cur),
        max_term_days=creditor.max_plan_months * DAYS_PER_MONTH,
        frequencies=tuple(policy.allowed_frequencies),
        max_deferral=money.to_minor(max_deferral, cur),
    )


def short_plan_eligibility(account: Account, policy: PaymentPolicy | None = None) -> list[str]:
    """Why this account may NOT have the one-time short plan (empty list: it may)."""
    policy = policy or policy_for(account.creditor)
    reasons = []
    if account.delinquency_bucket not in policy.short_plan_buckets:
        reasons.append("The account is too far overdue for a short plan.")
    if policy.short_plan_max_balance is not None and account.balance > policy.short_plan_max_balance:
        reasons.append("The balance is above the limit for a short plan.")
    since = account.customer.customer_since
    if policy.short_plan_min_tenure_days and (
        since is None or (timezone.localdate() - since).days < policy.short_plan_min_tenure_days
    ):
        reasons.append("The customer has not been with the creditor long enough for a short plan.")
    if account.plans.filter(status=PlanStatus.BROKEN).count() > policy.short_plan_max_broken_plans:
        reasons.append("Earlier plans on this account were broken.")
    # One time only: once a short plan was accepted (whatever became of it), it is not offered again
    # to the same person, on this account or any other.
    if InstalmentPlan.objects.filter(
        account__customer_id=account.customer_id, kind=PlanKind.SHORT, accepted_at__isnull=False
    ).exists():
        reasons.append("The short plan can only be used once, and it was used before.")
    return reasons


@dataclass
class PlanOption:
    """One offer: a labelled schedule in major units, with its terms text ready to show."""

    label: str
    frequency: str
    schedule: list[tuple[date, Decimal]]
    deferred: Decimal = ZERO
    kind: str = PlanKind.STANDARD
    terms_text: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((amount for _d, amount in self.schedule), start=ZERO)


def _terms(account: Account, items, deferred: Decimal, policy: PaymentPolicy, language: str | None) -> str:
    return wording.plan_terms(
        language=language or account.customer.language, creditor=account.creditor.display_name,
        reference=account.reference, currency=account.currency, schedule=items, deferred=deferred,
        grace_days=policy.grace_days,
    )


def _as_major(units: list[int], dates: list[date], cur: str) -> list[tuple[date, Decimal]]:
    return [(day, money.from_minor(u, cur)) for day, u in zip(dates, units, strict=True)]


def check_plan(*, account: Account, frequency: str, items: list[tuple[date, Decimal]], deferred: Decimal = ZERO,
               policy: PaymentPolicy | None = None, today: date | None = None) -> list[str]:
    """Plain-words reasons why this schedule is outside the creditor's policy (empty: within)."""
    policy = policy or policy_for(account.creditor)
    cur = account.currency
    try:
        minor_items = [(day, money.to_minor(amount, cur)) for day, amount in items]
        deferred_minor = money.to_minor(deferred, cur)
    except money.MoneyError as exc:
        return [str(exc)]
    total = sum(a for _d, a in minor_items)
    return schedule.check_schedule(
        total=total, items=minor_items, rules=rules_for(account, policy), frequency=frequency,
        today=today or timezone.localdate(), balance=money.to_minor(account.balance, cur), deferred=deferred_minor,
    ).reasons


def plan_options(*, account: Account, start: date | None = None, language: str | None = None,
                 with_terms: bool = True) -> list[PlanOption]:
    """Offers within policy: 3, 6 or 12 monthly instalments, a short plan when eligible, and a
    start-small-then-step-up plan. Each comes with its terms text unless ``with_terms`` is off (the
    agent desk lists the offers without their terms)."""
    policy = policy_for(account.creditor)
    cur = account.currency
    start = start or timezone.localdate() + timedelta(days=7)
    balance = money.to_minor(account.balance, cur)
    options: list[PlanOption] = []
    candidates = []
    if not short_plan_eligibility(account, policy):
        candidates.append((_("Short plan"), Frequency.FORTNIGHTLY, policy.short_plan_max_instalments, PlanKind.SHORT))
    candidates += [(_("%(n)s monthly payments") % {"n": n}, Frequency.MONTHLY, n, PlanKind.STANDARD)
                   for n in (3, 6, 12)]
    for label, frequency, count, kind in candidates:
        if balance <= 0 or count > balance:
            continue
        items = _as_major(schedule.split_even(balance, count), schedule.due_dates(start, count, frequency), cur)
        if check_plan(account=account, frequency=frequency, items=items, policy=policy):
            continue
        options.append(PlanOption(label, frequency, items, kind=kind,
                                  terms_text=_terms(account, items, ZERO, policy, language) if with_terms else ""))
    # Start small then step up: three months at the creditor's minimum, then the rest over the term.
    minimum = money.to_minor(account.creditor.min_instalment_amount, cur)
    for count in (6, 12):
        try:
            units = schedule.step_up(balance, count, first_amount=minimum, first_count=3)
        except ValueError:
            continue
        if units[-1] < minimum:
            continue
        items = _as_major(units, schedule.due_dates(start, count, Frequency.MONTHLY), cur)
        if not check_plan(account=account, frequency=Frequency.MONTHLY, items=items, policy=policy):
            label = _("Start small, then %(n)s larger payments") % {"n": count - 3}
            options.append(PlanOption(label, Frequency.MONTHLY, items, kind=PlanKind.STEP_UP,
                                      terms_text=_terms(account, items, ZERO, policy, language) if with_terms else ""))
            break
    return options


def build_schedule(*, account: Account, frequency: str, count: int | None = None, start: date | None = None,
                   items: list[tuple[date, Decimal]] | None = None, deferred: Decimal = ZERO):
    """Either generate ``count`` instalments from ``start`` or take the customer's own ``items``."""
    if items:
        return sorted(items)
    if not count or count < 1 or start is None:
        raise ApplicationError("Choose how many payments and when the first one is, or list your own dates.",
                               {"code": "schedule_incomplete"})
    if frequency == Frequency.CUSTOM:
        raise ApplicationError("A custom plan needs its own list of dates and amounts.", {"code": "schedule_incomplete"})
    cur = account.currency
    total = money.to_minor(account.balance - deferred, cur)
    if total <= 0:
        raise ApplicationError("There is nothing left to spread over a plan.", {"code": "nothing_to_plan"})
    if count > total:
        raise ApplicationError("That is more payments than the balance can be split into.", {"code": "too_many"})
    return _as_major(schedule.split_even(total, count), schedule.due_dates(start, count, frequency), cur)


@transaction.atomic
def plan_create(*, actor, account: Account, frequency: str, count: int | None = None, start: date | None = None,
                items: list[tuple[date, Decimal]] | None = None, deferred: Decimal = ZERO,
                language: str | None = None, allow_exception: bool = False,
                kind: str = PlanKind.STANDARD) -> InstalmentPlan:
    """Propose a plan. Within policy it is offered at once; outside policy it is refused with plain
    reasons unless ``allow_exception`` (an agent proposing an exception), in which case it waits for a
    supervisor's approval. ``kind`` short is the creditor's one-time short plan: only for eligible
    accounts, and an ineligible one counts as outside policy."""
    if kind not in PlanKind.values:
        raise ApplicationError("Unknown kind of plan.", {"code": "unknown_kind"})
    if items and kind == PlanKind.STANDARD:
        kind = PlanKind.CUSTOM
    account = lock_account(account.pk)
    if account.is_closed:
        raise ApplicationError("This account is closed.", {"code": "account_closed"})
    if account.plans.filter(status=PlanStatus.ACTIVE).exists():
        raise ApplicationError("This account already has an active plan.", {"code": "plan_exists"})
    policy = policy_for(account.creditor)
    items = build_schedule(account=account, frequency=frequency, count=count, start=start, items=items,
                           deferred=deferred)
    reasons = check_plan(account=account, frequency=frequency, items=items, deferred=deferred, policy=policy)
    if kind == PlanKind.SHORT:
        reasons += short_plan_eligibility(account, policy)
        if len(items) > policy.short_plan_max_instalments:
            reasons.append(f"A short plan has at most {policy.short_plan_max_instalments} payments.")
    hard = [r for r in reasons if r in _ALWAYS_REFUSED]
    if hard or (reasons and not allow_exception):
        raise ApplicationError(" ".join(hard or reasons), {"code": "outside_policy", "reasons": hard or reasons})
    total = sum((a for _d, a in items), start=ZERO)
    plan = InstalmentPlan(
        account=account, status=PlanStatus.PENDING_APPROVAL if reasons else PlanStatus.PROPOSED, kind=kind,
        frequency=frequency,
        total=total, deferred_amount=deferred, currency=account.currency,
        terms_text=_terms(account, items, deferred, policy, language),
        terms_language=language or account.customer.language, outside_policy=bool(reasons), policy_reasons=reasons,
        proposed_by=actor,
    )
    save_tracked(plan, actor=actor, reason="Plan proposed")
    for seq, (day, amount) in enumerate(items, start=1):
        Instalment.objects.create(plan=plan, seq=seq, due_date=day, amount=amount)
    audit_record(actor=actor, action="plan.proposed", obj=plan, account=account,
                 payload={"total": str(total), "instalments": len(items), "kind": kind,
                          "outside_policy": reasons})
    return plan


# These are arithmetic or calendar facts, not policy: no approval can make them right.
_ALWAYS_REFUSED = {
    "The instalments do not add up to the plan total.",
    "The instalments do not add up to the balance (less any part set aside for later).",
    "Every instalment must be more than zero.",
    "The first payment date is in the past.",
    "Payment dates must be in order, one per date.",
    "A plan needs at least one instalment.",
}


@transaction.atomic
def plan_approve(*, actor, plan: InstalmentPlan) -> InstalmentPlan:
    """A supervisor approves a plan outside policy; the approval is recorded."""
    if not actor.has_role("supervisor"):
        raise ApplicationError("Only a supervisor can approve a plan outside policy.", {"code": "forbidden"})
    plan = InstalmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PENDING_APPROVAL:
        raise ApplicationError("This plan is not waiting for approval.", {"code": "bad_state"})
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.PROPOSED, actor, timezone.now()
    save_tracked(plan, actor=actor, reason="Exception approved")
    audit_record(actor=actor, action="plan.approved", obj=plan, account=plan.account,
                 payload={"reasons": plan.policy_reasons})
    return plan


@transaction.atomic
def plan_accept(*, actor, plan: InstalmentPlan, channel: str, ip: str | None = None) -> InstalmentPlan:
    """The customer accepts the terms shown to them; the text, time, channel and IP are kept."""
    account = lock_account(plan.account_id)
    plan = InstalmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.PENDING_APPROVAL:
        raise ApplicationError("This plan needs a supervisor's approval before it can be accepted.",
                               {"code": "needs_approval"})
    if plan.status != PlanStatus.PROPOSED:
        raise ApplicationError("This plan can no longer be accepted.", {"code": "bad_state"})
    if plan.instalments.order_by("seq").first().due_date < timezone.localdate():
        raise ApplicationError("The first payment date has passed; please choose new dates.", {"code": "stale"})
    if account.plans.filter(status=PlanStatus.ACTIVE).exists():
        raise ApplicationError("This account already has an active plan.", {"code": "plan_exists"})
    if plan.total + plan.deferred_amount != account.balance:
        raise ApplicationError("The balance has changed since this plan was made; please make a new one.",
                               {"code": "stale"})
    plan.status, plan.accepted_at, plan.accepted_channel, plan.accepted_ip = (
        PlanStatus.ACTIVE, timezone.now(), channel, ip or None)
    save_tracked(plan, actor=actor, reason="Plan accepted")
    for other in account.plans.filter(status__in=[PlanStatus.PROPOSED, PlanStatus.PENDING_APPROVAL]).exclude(pk=plan.pk):
        other.status = PlanStatus.CANCELLED
        save_tracked(other, actor=actor, reason="Another plan was accepted")
    audit_record(actor=actor, action="plan.accepted", obj=plan, account=account, payload={
        "channel": channel, "ip": ip, "terms_text": plan.terms_text, "total": str(plan.total),
    })
    _after_money_moved(account, actor=actor, reason="Plan accepted")
    return plan


@transaction.atomic
def plan_cancel(*, actor, plan: InstalmentPlan, reason: str = "") -> InstalmentPlan:
    account = lock_account(plan.account_id)
    plan = InstalmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.BROKEN, PlanStatus.CANCELLED):
        raise ApplicationError("This plan has already ended.", {"code": "bad_state"})
    plan.status = PlanStatus.CANCELLED
    save_tracked(plan, actor=actor, reason=reason or "Plan cancelled")
    audit_record(actor=actor, action="plan.cancelled", obj=plan, account=account, payload={"reason": reason})
    _after_money_moved(account, actor=actor, reason="Plan cancelled")
    return plan


@transaction.atomic
def plan_break(*, actor, plan: InstalmentPlan, reason: str) -> InstalmentPlan:
    """A missed instalment past its grace ends the plan; the account goes back to routing."""
    account = lock_account(plan.account_id)
    plan = InstalmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        return plan
    plan.status, plan.broken_at = PlanStatus.BROKEN, timezone.now()
    save_tracked(plan, actor=actor, reason=reason)
    audit_record(actor=actor, action="plan.broken", obj=plan, account=account, payload={"reason": reason})
    _after_money_moved(account, actor=actor, reason="Plan broken")
    return plan


@transaction.atomic
def plan_autopay_failed(*, actor, payment: Payment) -> None:
    """An autopay charge failed: schedule the next retry from the policy's offsets (e.g. +3, +7 days)."""
    if payment.purpose != PaymentPurpose.INSTALMENT or payment.plan_id is None:
        return
    plan = payment.plan
    inst = plan.instalments.select_for_update().exclude(status=InstalmentStatus.PAID).order_by("seq").first()
    if inst is None:
        return
    offsets = policy_for(plan.account.creditor).retry_offsets_days
    if inst.retry_count < len(offsets):
        inst.next_retry_on = inst.due_date + timedelta(days=int(offsets[inst.retry_count]))
    else:
        inst.next_retry_on = None
    inst.retry_count += 1
    save_tracked(inst, actor=actor, reason="Autopay failed")


def _autopay(plan: InstalmentPlan, inst: Instalment, actor) -> None:
    method = plan.autopay_method
    if method is None or not method.is_active:
        return
    if Payment.objects.filter(plan=plan, status=PaymentStatus.PENDING).exists():
        return
    key = f"plan{plan.pk}:inst{inst.pk}:try{inst.retry_count}"
    try:
        get_gateway().charge_saved_method(
            customer_id=method.provider_customer_id, method_id=method.provider_method_id, amount=inst.outstanding,
            currency=plan.currency, idempotency_key=key,
            metadata={"account_id": str(plan.account_id), "plan_id": str(plan.pk), "purpose": PaymentPurpose.INSTALMENT},
        )
    except GatewayError as exc:
        audit_record(actor=actor, action="plan.autopay_error", obj=plan, account=plan.account,
                     payload={"error": str(exc)[:200]})


def plans_run_daily(*, today: date | None = None) -> dict:
    """Once a day: flag reminders due (outreach sends them), mark missed instalments past their grace
    and break their plans, and charge autopay instalments due today or due a retry."""
    today = today or timezone.localdate()
    actor = system_user()
    counts = {"reminders": 0, "missed": 0, "broken": 0, "charged": 0}
    due = Instalment.objects.filter(plan__status=PlanStatus.ACTIVE).exclude(status=InstalmentStatus.PAID) \
        .select_related("plan__account__creditor")
    for inst in due.iterator():
        policy = policy_for(inst.plan.account.creditor)
        with transaction.atomic():
            if inst.reminded_at is None and today <= inst.due_date <= today + timedelta(days=policy.reminder_days_before):
                inst.reminded_at = timezone.now()
                save_tracked(inst, actor=actor, reason="Reminder due")
                counts["reminders"] += 1
            if inst.plan.autopay_method_id and (inst.due_date == today or inst.next_retry_on == today):
                _autopay(inst.plan, inst, actor)
                counts["charged"] += 1
            if inst.due_date + timedelta(days=policy.grace_days) < today and inst.status != InstalmentStatus.MISSED:
                retrying = inst.next_retry_on and inst.next_retry_on >= today
                if not retrying:
                    inst.status = InstalmentStatus.MISSED
                    save_tracked(inst, actor=actor, reason="Missed after grace")
                    counts["missed"] += 1
                    plan_break(actor=actor, plan=inst.plan, reason=f"Instalment {inst.seq} missed")
                    counts["broken"] += 1
    return counts


@transaction.atomic
def plan_autopay_enable(*, actor, plan: InstalmentPlan, method) -> InstalmentPlan:
    """Charge this plan's instalments to a card the customer saved (Stripe: Customer + PaymentMethod
    from a SetupIntent); charges are off-session PaymentIntents on each due date."""
    plan = InstalmentPlan.objects.select_for_update().select_related("account").get(pk=plan.pk)
    if method.customer_id != plan.account.customer_id or not method.is_active:
        raise ApplicationError("That card does not belong to this customer.", {"code": "method_mismatch"})
    if plan.status not in (PlanStatus.PROPOSED, PlanStatus.ACTIVE, PlanStatus.PENDING_APPROVAL):
        raise ApplicationError("This plan has ended.", {"code": "bad_state"})
    plan.autopay_method = method
    save_tracked(plan, actor=actor, reason="Autopay card set")
    audit_record(actor=actor, action="plan.autopay_enabled", obj=plan, account=plan.account,
                 payload={"card": f"{method.brand} {method.last4}"})
    return plan


@transaction.atomic
def instalment_move_date(*, actor, instalment: Instalment, new_date: date, max_days: int, channel: str) -> Instalment:
    """Move one unpaid instalment of an active plan to a later date, once per plan (the customer's "move a
    date once" in the portal). ``max_days`` is how far the creditor lets a date move. The new date must stay
    before the next instalment and inside the creditor's longest term."""
    plan = InstalmentPlan.objects.select_for_update().select_related("account__creditor").get(pk=instalment.plan_id)
    inst = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ApplicationError("This plan is not active.", {"code": "bad_state"})
    if inst.status == InstalmentStatus.PAID:
        raise ApplicationError("This payment is already made.", {"code": "already_paid"})
    if Instalment.history.filter(plan_id=plan.pk, history_change_reason="Date moved").exists():
        raise ApplicationError("A date on this plan was already moved once.", {"code": "already_moved"})
    today = timezone.localdate()
    if new_date <= inst.due_date or new_date <= today:
        raise ApplicationError("Choose a later date than the current one.", {"code": "not_later"})
    if (new_date - inst.due_date).days > max_days:
        raise ApplicationError(f"A date can move by at most {max_days} days.", {"code": "too_far", "max_days": max_days})
    following = plan.instalments.filter(seq__gt=inst.seq).order_by("seq").first()
    if following is not None and new_date >= following.due_date:
        raise ApplicationError("The new date must be before the next payment.", {"code": "overlaps_next"})
    if (new_date - today).days > plan.account.creditor.max_plan_months * DAYS_PER_MONTH:
        raise ApplicationError("The plan runs longer than this creditor allows.", {"code": "too_long"})
    old = inst.due_date
    inst.due_date, inst.reminded_at = new_date, None
    save_tracked(inst, actor=actor, reason="Date moved")
    audit_record(actor=actor, action="plan.instalment_moved", obj=plan, account=plan.account, payload={
        "instalment": inst.seq, "from": old.isoformat(), "to": new_date.isoformat(), "channel": channel,
    })
    return inst
