"""Set-wise reads for cadences: the due steps, their exits and conditions, as SQL over the enrolment
table joined to the case, account and customer — never a Python loop over the portfolio.

``rules.py`` holds the same rules in Python; ``tests/outreach/test_cadence_selection.py`` checks that
the two agree on varied data."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from accounts.choices import AccountStatus, CaseStatus, Channel, Queue
from accounts.models import Account
from compliance.choices import ConsentStatus, DisputeStatus, HoldKind, HoldStatus
from compliance.models import ConsentRecord, Dispute, Hold
from payments.choices import PaymentStatus, PlanStatus
from payments.models import InstalmentPlan, Payment

from .choices import EnrolmentStatus, ExitReason, StepAnchor, StepChannel
from .models import Cadence, CadenceEnrolment, CadenceStep
from .rules import EXIT_ORDER

PAID_STATES = (AccountStatus.PAID, AccountStatus.SETTLED)
CLOSED_STATES = tuple(s for s in AccountStatus.closed_states() if s not in PAID_STATES)
# A plan on the table (offered, waiting for approval) pauses demands; an accepted one ends the cadence.
OPEN_PLAN_STATES = (PlanStatus.PENDING_APPROVAL, PlanStatus.PROPOSED)
PAYMENT_COUNTS = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)


def cadence_list() -> QuerySet[Cadence]:
    return Cadence.objects.select_related("creditor").prefetch_related("steps").annotate(
        active_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE)),
    )


def step_due_expression(step: CadenceStep, *, account: str, last_step_at: datetime):
    """SQL for ``rules.step_due_at``: ``account`` is the path to the account from the query's model
    ("account" from an enrolment, "" from an account); ``last_step_at`` is a constant (the tick's or the
    enrolment's instant)."""
    prefix = f"{account}__" if account else ""
    delta = timedelta(days=step.offset_days)
    if step.anchor == StepAnchor.PLACEMENT:
        return ExpressionWrapper(F(f"{prefix}placed_at") + Value(delta), output_field=DateTimeField())
    if step.anchor == StepAnchor.DUE_DATE:
        midnight = Cast(F(f"{prefix}due_date"), DateTimeField())
        return ExpressionWrapper(midnight + Value(delta), output_field=DateTimeField())
    return Value(last_step_at + delta, output_field=DateTimeField())


def due_enrolments(*, at: datetime) -> QuerySet[CadenceEnrolment]:
    """Active enrolments whose next step is due at ``at`` and not already handed to a send batch."""
    from .models import CadenceDispatch

    leased = CadenceDispatch.objects.filter(until__gt=at).values("enrolment_id")
    return CadenceEnrolment.objects.filter(status=EnrolmentStatus.ACTIVE, next_due_at__lte=at).exclude(pk__in=leased)


def with_channel(qs: QuerySet[CadenceEnrolment]) -> QuerySet[CadenceEnrolment]:
    """Annotate ``_channel``: the step's channel, or the customer's preferred one."""
    return qs.annotate(_channel=Case(
        When(step__channel=StepChannel.PREFERRED, then=F("account__customer__preferred_channel")),
        default=F("step__channel"), output_field=CharField(),
    ))


def _revoked_customers(channel: str):
    """Customers whose latest consent record for ``channel`` is a revocation (an id set, computed once)."""
    records = ConsentRecord.objects.filter(channel=channel)
    newer = records.filter(customer_id=OuterRef("customer_id")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    return records.exclude(Exists(newer)).filter(status=ConsentStatus.REVOKED).values("customer_id")


def _active_holds(at: datetime):
    return Hold.objects.filter(status=HoldStatus.ACTIVE, starts_at__lte=at).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def _hold_covers(holds) -> Q:
    """The hold set covers the enrolment's account: customer-wide or this account."""
    return (Q(account__customer_id__in=holds.filter(account__isnull=True).values("customer_id"))
            | Q(account_id__in=holds.filter(account__isnull=False).values("account_id")))


def exit_conditions(*, at: datetime) -> dict[str, Q]:
    """Each exit reason as a condition on an enrolment queryset annotated by ``with_channel``."""
    holds = _active_holds(at)
    open_disputes = Dispute.objects.exclude(status__in=DisputeStatus.resolved_states()).values("account_id")
    active_plans = InstalmentPlan.objects.filter(status=PlanStatus.ACTIVE).values("account_id")
    opted_out = Q()
    for channel in Channel.values:
        opted_out |= Q(_channel=channel, account__customer_id__in=_revoked_customers(channel))
    return {
        ExitReason.PAID_IN_FULL: Q(account__status__in=PAID_STATES) | Q(account__balance__lte=0),
        ExitReason.ACCOUNT_CLOSED: Q(account__status__in=CLOSED_STATES) | Q(case__status=CaseStatus.CLOSED),
        ExitReason.DISPUTE: Q(account_id__in=open_disputes) | _hold_covers(holds.filter(kind=HoldKind.DISPUTE)),
        ExitReason.HOLD: _hold_covers(holds.exclude(kind=HoldKind.DISPUTE)),
        ExitReason.PLAN_ACCEPTED: Q(account__status=AccountStatus.IN_PLAN) | Q(account_id__in=active_plans),
        ExitReason.OPT_OUT: opted_out,
        ExitReason.ROUTED_TO_HUMAN: ~Q(case__queue=Queue.AUTOMATED),
        ExitReason.CADENCE_INACTIVE: Q(cadence__is_active=False),
    }


def with_exit(qs: QuerySet[CadenceEnrolment], *, at: datetime) -> QuerySet[CadenceEnrolment]:
    """Annotate ``_exit``: the first exit reason that applies ('' when none), checked in EXIT_ORDER."""
    conditions = exit_conditions(at=at)
    return with_channel(qs).annotate(_exit=Case(
        *(When(conditions[reason], then=Value(reason.value)) for reason in EXIT_ORDER),
        default=Value(""), output_field=CharField(),
    ))


def step_conditions_fail() -> Q:
    """A due step whose conditions do not hold (it is skipped, not sent)."""
    paid_since = Exists(Payment.objects.filter(
        account_id=OuterRef("account_id"), status__in=PAYMENT_COUNTS, received_at__gt=OuterRef("last_step_at")))
    open_plan = Q(account_id__in=InstalmentPlan.objects.filter(status__in=OPEN_PLAN_STATES).values("account_id"))
    fail = (Q(step__require_no_payment=True) & paid_since) | (Q(step__require_not_in_plan=True) & open_plan)
    replied = _replied_since()
    if replied is not None:
        fail |= Q(step__require_no_reply=True) & replied
    return fail


def _replied_since():
    """An inbound message from the customer since the last step, once the message log exists."""
    try:
        from outreach.models import Message
    except ImportError:  # the message log is not installed yet: nobody has replied
        return None
    direction = getattr(Message, "direction", None)
    if direction is None:
        return None
    return Exists(Message.objects.filter(
        customer_id=OuterRef("account__customer_id"), direction="inbound", created_at__gt=OuterRef("last_step_at")))


def tick_selection(*, at: datetime) -> dict[str, QuerySet[CadenceEnrolment]]:
    """The three disjoint sets a tick acts on: ``exit`` (annotated ``_exit``), ``skip`` (conditions fail)
    and ``send`` (annotated ``_channel``: ask the gate, then message)."""
    due = with_exit(due_enrolments(at=at), at=at)
    staying = due.filter(_exit="")
    return {
        "exit": due.exclude(_exit=""),
        "skip": staying.filter(step_conditions_fail()),
        "send": staying.exclude(step_conditions_fail()),
    }


def gate_prefiltered(qs: QuerySet[CadenceEnrolment], *, at: datetime) -> QuerySet[CadenceEnrolment]:
    """Of ``qs`` (annotated ``_channel``), those the gate's set-wise form would allow on their channel at
    ``at`` (compliance.selectors.contactable_accounts): the rest stay due and are looked at next tick."""
    from compliance.selectors import contactable_accounts

    allowed = Q(pk__in=[])
    for channel in Channel.values:
        on_channel = qs.filter(_channel=channel)
        accounts = Account.objects.filter(pk__in=on_channel.values("account_id"))
        ok = contactable_accounts(queryset=accounts, channel=channel, at=at).values("pk")
        allowed |= Q(_channel=channel, account_id__in=ok)
    return qs.filter(allowed)


def enrolment_verdict(enrolment: CadenceEnrolment, *, at: datetime) -> tuple[str, str]:
    """One enrolment judged in Python, object by object — what the send batch re-checks before it
    messages, and the reference the set-wise SQL is tested against. Returns one of ``("wait", "")``,
    ``("exit", reason)``, ``("skip", "")``, ``("send", channel)``."""
    from .rules import first_exit, resolve_channel

    if enrolment.status != EnrolmentStatus.ACTIVE or enrolment.next_due_at is None or enrolment.next_due_at > at:
        return "wait", ""
    account, case, step = enrolment.account, enrolment.case, enrolment.step
    customer = account.customer
    channel = resolve_channel(step.channel, customer.preferred_channel)
    holds = [h for h in Hold.objects.filter(customer_id=customer.pk, status=HoldStatus.ACTIVE)
             if h.starts_at <= at and (h.ends_at is None or h.ends_at > at)
             and (h.account_id is None or h.account_id == account.pk)]
    latest = ConsentRecord.objects.filter(customer_id=customer.pk, channel=channel).order_by("-at", "-id").first()
    plans = set(InstalmentPlan.objects.filter(account_id=account.pk).values_list("status", flat=True))
    applies = {
        ExitReason.PAID_IN_FULL: account.status in PAID_STATES or account.balance <= 0,
        ExitReason.ACCOUNT_CLOSED: account.status in CLOSED_STATES or case.status == CaseStatus.CLOSED,
        ExitReason.DISPUTE: any(h.kind == HoldKind.DISPUTE for h in holds) or Dispute.objects.filter(
            account_id=account.pk).exclude(status__in=DisputeStatus.resolved_states()).exists(),
        ExitReason.HOLD: any(h.kind != HoldKind.DISPUTE for h in holds),
        ExitReason.PLAN_ACCEPTED: account.status == AccountStatus.IN_PLAN or PlanStatus.ACTIVE in plans,
        ExitReason.OPT_OUT: latest is not None and latest.status == ConsentStatus.REVOKED,
        ExitReason.ROUTED_TO_HUMAN: case.queue != Queue.AUTOMATED,
        ExitReason.CADENCE_INACTIVE: not enrolment.cadence.is_active,
    }
    reason = first_exit(applies)
    if reason:
        return "exit", reason
    paid_since = Payment.objects.filter(account_id=account.pk, status__in=PAYMENT_COUNTS,
                                        received_at__gt=enrolment.last_step_at).exists()
    if (step.require_no_payment and paid_since) or (step.require_not_in_plan and plans & set(OPEN_PLAN_STATES)):
        return "skip", ""
    replied = _replied_since()
    if step.require_no_reply and replied is not None and CadenceEnrolment.objects.filter(
            pk=enrolment.pk).filter(replied).exists():
        return "skip", ""
    return "send", channel
