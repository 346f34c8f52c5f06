"""Routing with the database: gather the facts about a case, apply the pure rules
(``accounts.routing.route``) with the creditor's ``RoutingPolicy``, and write the queue, reason, priority
and SLA with history and an audit event — only when something changed.

Every service that changes a fact routing depends on calls ``case_reroute`` in its own transaction:
disputes (compliance), payments and broken plans (payments), callback requests, complaints, review
requests and vulnerability flags (here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .choices import (
    HUMAN_QUEUES,
    CallbackSource,
    CallbackStatus,
    CaseStatus,
    Channel,
    Queue,
    RoutingReason,
    VulnerabilityFlag,
)
from .models import Account, CallbackRequest, Case, Creditor, Customer, RoutingPolicy
from .routing import QueuePolicy, RoutingDecision, RoutingFacts, route

# Which fact sends a case to which optional queue: switching the queue off ignores the fact.
_QUEUE_FACT = {
    Queue.HIGH_VALUE: "high_value",
    Queue.CALLBACKS: "callback_requested",
    Queue.BROKEN_PLANS: "broken_plans",
    Queue.COMPLAINTS: "complaint",
    Queue.GENERAL: "review_requested",
}


# ---- reads used by routing ------------------------------------------------------------------------


def routing_policy_for(creditor: Creditor) -> RoutingPolicy:
    """The creditor's routing policy; an unsaved default when the supervisor never edited it."""
    policy = RoutingPolicy.objects.filter(creditor_id=creditor.pk).first()
    return policy or RoutingPolicy(creditor=creditor)


def queue_policy(policy: RoutingPolicy) -> QueuePolicy:
    default = QueuePolicy()
    hours = {**default.sla_hours, **{k: int(v) for k, v in (policy.sla_hours or {}).items()}}
    return QueuePolicy(sla_hours=hours, broken_plan_limit=policy.broken_plan_limit or default.broken_plan_limit)


def high_value_threshold(policy: RoutingPolicy, creditor: Creditor):
    if policy.high_value_threshold is not None:
        return policy.high_value_threshold
    return creditor.high_value_threshold


def routing_facts_for(case: Case, policy: RoutingPolicy) -> RoutingFacts:
    """Everything routing depends on, read from the database for one case."""
    from compliance.choices import DisputeStatus
    from compliance.models import Dispute
    from payments.choices import PlanStatus
    from payments.models import InstalmentPlan

    account = case.account
    return RoutingFacts(
        balance=account.balance,
        high_value_threshold=high_value_threshold(policy, case.creditor),
        open_dispute=Dispute.objects.filter(
            account_id=account.pk, status__in=[DisputeStatus.OPEN, DisputeStatus.VERIFYING]
        ).exists(),
        vulnerable=bool(account.customer.vulnerability_flags),
        complaint=case.complaint_open,
        callback_requested=CallbackRequest.objects.filter(case_id=case.pk, status=CallbackStatus.OPEN).exists(),
        broken_plans=InstalmentPlan.objects.filter(account_id=account.pk, status=PlanStatus.BROKEN).count(),
        review_requested=case.review_requested,
        closed=account.is_closed,
    )


def routing_decide(facts: RoutingFacts, policy: RoutingPolicy) -> RoutingDecision:
    """``route`` with the creditor's switched-off queues ignored (their facts fall through)."""
    qp = queue_policy(policy)
    for queue in policy.disabled_queues or []:
        name = _QUEUE_FACT.get(queue)
        if name == "high_value":
            facts = replace(facts, high_value_threshold=type(facts.balance)(0))
        elif name == "broken_plans":
            facts = replace(facts, broken_plans=0)
        elif name:
            facts = replace(facts, **{name: False})
    return route(facts, qp)


# ---- the re-route -----------------------------------------------------------------------------------


def _lock_case(case: Case) -> Case:
    """The case row locked, then its account, customer and creditor read after the lock: a join in the
    locking query could hand back the account as it was before a concurrent change we waited for."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.account = Account.objects.select_related("customer", "creditor").get(pk=locked.account_id)
    locked.creditor = locked.account.creditor
    return locked


def case_bump(case: Case) -> None:
    """Every write to a case goes through here: the version tells stale forms apart."""
    case.version = (case.version or 0) + 1


@transaction.atomic
def case_reroute(*, case: Case, actor, reason: str, now: datetime | None = None) -> Case:
    """Route the case again from the facts in the database. Writes queue, reason, priority and SLA (with
    a history row and a ``case.routed`` audit event) only when one of them changes. A case that leaves
    the human queues loses its assignee; one that stays in its queue keeps assignee and SLA. A case whose
    account is closed (paid, settled, recalled, written off) is closed; a closed case whose account is
    open again (a reversed payment) is reopened."""
    now = now or timezone.now()
    case = _lock_case(case)
    policy = routing_policy_for(case.creditor)
    facts = routing_facts_for(case, policy)
    before = {f: getattr(case, f) for f in ("queue", "routing_reason", "priority", "status", "assignee_id")}

    if facts.closed:
        decision = RoutingDecision(Queue.AUTOMATED, RoutingReason.AUTOMATED, 5, "The account is closed.")
        if case.status != CaseStatus.CLOSED:
            case.status, case.closed_at = CaseStatus.CLOSED, now
    else:
        decision = routing_decide(facts, policy)
        if case.status == CaseStatus.CLOSED:
            case.status, case.closed_at = CaseStatus.OPEN, None
    queue_changed = decision.queue != case.queue
    case.queue, case.routing_reason = decision.queue, decision.reason
    if decision.needs_person or queue_changed:
        case.priority = decision.priority  # an automated case keeps the priority it was placed with
    if queue_changed or case.routed_at is None:
        case.routing_note = decision.note[:300]
        case.sla_due_at = decision.sla_due(now, queue_policy(policy))
        case.routed_at = now
        if case.status == CaseStatus.WAITING:
            case.status = CaseStatus.OPEN  # a new reason to look at it
    if case.queue not in HUMAN_QUEUES:
        case.assignee = None
        case.sla_due_at = None
    after = {f: getattr(case, f) for f in before}
    if after == before and not queue_changed:
        return case
    case_bump(case)
    save_tracked(case, actor=actor, reason=f"Routed: {reason}")
    audit_record(actor=actor, action="case.routed", obj=case, account=case.account, payload={
        "from_queue": before["queue"], "to_queue": case.queue, "reason": case.routing_reason,
        "priority": case.priority, "status": case.status, "why": reason[:200],
        "assignee_cleared": bool(before["assignee_id"] and not case.assignee_id),
        "sla_due_at": case.sla_due_at,
    })
    return case


def customer_cases_reroute(*, customer: Customer, actor, reason: str) -> list[Case]:
    """Re-route every case of one customer (a fact about the person changed)."""
    return [case_reroute(case=c, actor=actor, reason=reason) for c in Case.objects.filter(account__customer=customer)]


def account_reroute(*, account, actor, reason: str) -> Case | None:
    """Re-route the case of one account, if it has one."""
    case = Case.objects.filter(account_id=account.pk).first()
    return case_reroute(case=case, actor=actor, reason=reason) if case else None


# ---- facts owned by accounts ------------------------------------------------------------------------


@transaction.atomic
def callback_request_create(*, case: Case, preferred_at: datetime | None = None, channel: str = Channel.VOICE,
                            note: str = "", source: str = CallbackSource.AGENT, actor) -> CallbackRequest:
    """The customer asked a person to call: record it and route the case to the callbacks queue (unless
    something more protective applies). A second open request for the same case is not duplicated: the
    open one is returned, with the newer time and note."""
    if source not in CallbackSource.values:
        raise ApplicationError("Unknown callback source.", {"source": source})
    if channel not in Channel.values:
        raise ApplicationError("Unknown channel.", {"channel": channel})
    case = _lock_case(case)
    if case.account.is_closed:
        raise ApplicationError("This account is closed, so there is nothing to call about.", {"code": "closed"})
    existing = CallbackRequest.objects.filter(case=case, status=CallbackStatus.OPEN).first()
    request = existing or CallbackRequest(case=case, source=source, created_by=actor)
    request.preferred_at, request.channel = preferred_at, channel
    if note:
        request.note = note
    save_tracked(request, actor=actor, reason="Callback requested")
    audit_record(actor=actor, action="callback.requested", obj=request, account=case.account, payload={
        "source": source, "channel": channel, "preferred_at": preferred_at, "repeat": existing is not None,
    })
    case_reroute(case=case, actor=actor, reason="callback requested")
    return request


@transaction.atomic
def callback_request_complete(*, request: CallbackRequest, actor, outcome_note: str = "",
                              cancelled: bool = False) -> CallbackRequest:
    """We called back (or the request was withdrawn): close it and route the case again."""
    request = CallbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CallbackStatus.OPEN:
        raise ApplicationError("This callback request is already closed.", {"status": request.status})
    request.status = CallbackStatus.CANCELLED if cancelled else CallbackStatus.DONE
    request.completed_at, request.completed_by, request.outcome_note = timezone.now(), actor, outcome_note
    save_tracked(request, actor=actor, reason=f"Callback {request.status}")
    audit_record(actor=actor, action=f"callback.{request.status}", obj=request, account=request.case.account,
                 payload={"callback_id": request.pk})
    case_reroute(case=request.case, actor=actor, reason=f"callback {request.status}")
    return request


def _set_case_flag(*, case: Case, field: str, value: bool, actor, action: str, note: str, reason: str) -> Case:
    case = _lock_case(case)
    if getattr(case, field) != value:
        setattr(case, field, value)
        case_bump(case)
        save_tracked(case, actor=actor, reason=reason)
    audit_record(actor=actor, action=action, obj=case, account=case.account, payload={"note_given": bool(note)})
    return case_reroute(case=case, actor=actor, reason=reason)


@transaction.atomic
def case_flag_complaint(*, case: Case, actor, note: str = "") -> Case:
    """A complaint, or an inbound message that sounds distressed: a person should look."""
    return _set_case_flag(case=case, field="complaint_open", value=True, actor=actor, action="case.complaint_flagged",
                          note=note, reason="complaint flagged")


@transaction.atomic
def case_clear_complaint(*, case: Case, actor, note: str = "") -> Case:
    return _set_case_flag(case=case, field="complaint_open", value=False, actor=actor,
                          action="case.complaint_cleared", note=note, reason="complaint dealt with")


@transaction.atomic
def case_review_request(*, case: Case, actor, note: str = "") -> Case:
    """An agent or supervisor asks for a person to review this case."""
    return _set_case_flag(case=case, field="review_requested", value=True, actor=actor,
                          action="case.review_requested", note=note, reason="review requested")


@transaction.atomic
def case_review_clear(*, case: Case, actor, note: str = "") -> Case:
    return _set_case_flag(case=case, field="review_requested", value=False, actor=actor,
                          action="case.review_cleared", note=note, reason="review done")


@transaction.atomic
def customer_vulnerability_set(*, customer: Customer, flags: list[str], note: str = "", actor) -> Customer:
    """Record (or clear, with an empty list) what extra care this person needs; routes their cases to the
    extra-care queue or back. The note is personal data: it lives on the customer (history, retention),
    never in the audit payload."""
    flags = sorted(set(flags or []))
    unknown = [f for f in flags if f not in VulnerabilityFlag.values]
    if unknown:
        raise ApplicationError("Unknown vulnerability flag.", {"flags": unknown})
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.vulnerability_flags != flags or (note and note != customer.vulnerability_note):
        before = list(customer.vulnerability_flags or [])
        customer.vulnerability_flags = flags
        if note or not flags:
            customer.vulnerability_note = note
        save_tracked(customer, actor=actor, reason="Vulnerability flags set")
        audit_record(actor=actor, action="customer.vulnerability_set", obj=customer, customer=customer,
                     payload={"before": before, "after": flags})
    customer_cases_reroute(customer=customer, actor=actor, reason="vulnerability flags changed")
    return customer


@transaction.atomic
def routing_policy_set(*, creditor: Creditor, actor, high_value_threshold=None, sla_hours: dict | None = None,
                       broken_plan_limit: int | None = None, disabled_queues: list[str] | None = None,
                       reroute: bool = True) -> RoutingPolicy:
    """A supervisor tunes routing for one creditor. Open cases of that creditor in the queues this can
    affect are routed again when ``reroute`` (bounded: human-queue cases plus those at or above the new
    threshold)."""
    policy = RoutingPolicy.objects.select_for_update().filter(creditor=creditor).first() or RoutingPolicy(
        creditor=creditor)
    before = {"high_value_threshold": policy.high_value_threshold, "sla_hours": dict(policy.sla_hours or {}),
              "broken_plan_limit": policy.broken_plan_limit, "disabled_queues": list(policy.disabled_queues or [])}
    policy.high_value_threshold = high_value_threshold
    if sla_hours is not None:
        policy.sla_hours = {k: int(v) for k, v in sla_hours.items() if v not in (None, "")}
    if broken_plan_limit is not None:
        policy.broken_plan_limit = broken_plan_limit
    if disabled_queues is not None:
        policy.disabled_queues = sorted(set(disabled_queues))
    save_tracked(policy, actor=actor, reason="Routing policy set")
    audit_record(actor=actor, action="routing_policy.set", obj=policy, creditor=creditor, payload={
        "before": before, "after": {"high_value_threshold": policy.high_value_threshold,
                                    "sla_hours": policy.sla_hours, "broken_plan_limit": policy.broken_plan_limit,
                                    "disabled_queues": policy.disabled_queues}})
    if reroute:
        threshold = high_value_threshold if high_value_threshold is not None else creditor.high_value_threshold
        affected = Case.objects.filter(creditor=creditor).exclude(status=CaseStatus.CLOSED).filter(
            _may_change(threshold))
        for case in affected.distinct().only("pk"):
            case_reroute(case=case, actor=actor, reason="routing policy changed")
    return policy


def _may_change(threshold):
    from django.db.models import Q

    q = Q(queue__in=HUMAN_QUEUES) | Q(account__plans__status="broken")
    if threshold and threshold > 0:
        q |= Q(account__balance__gte=threshold)
    return q


def cases_needing_routing(*, creditor: Creditor | None = None):
    """Open cases whose facts may send them to a person (or that are with a person now): the set to pass
    through ``case_reroute`` after loading data or changing rules. One indexed query, no per-row work."""
    from django.db.models import Exists, F, OuterRef, Q, Subquery

    from compliance.choices import DisputeStatus
    from compliance.models import Dispute
    from payments.choices import PlanStatus
    from payments.models import InstalmentPlan

    qs = Case.objects.exclude(status=CaseStatus.CLOSED)
    if creditor is not None:
        qs = qs.filter(creditor=creditor)
    dispute = Dispute.objects.filter(account_id=OuterRef("account_id"),
                                     status__in=[DisputeStatus.OPEN, DisputeStatus.VERIFYING])
    broken = InstalmentPlan.objects.filter(account_id=OuterRef("account_id"), status=PlanStatus.BROKEN)
    callback = CallbackRequest.objects.filter(case_id=OuterRef("pk"), status=CallbackStatus.OPEN)
    policy_threshold = RoutingPolicy.objects.filter(creditor_id=OuterRef("creditor_id")).values(
        "high_value_threshold")[:1]
    return qs.annotate(
        _policy_threshold=Subquery(policy_threshold),
    ).filter(
        Q(queue__in=HUMAN_QUEUES) | Q(complaint_open=True) | Q(review_requested=True)
        | Q(account__balance__gte=F("_policy_threshold"), _policy_threshold__gt=0)
        | Q(_policy_threshold__isnull=True, account__balance__gte=F("creditor__high_value_threshold"),
            creditor__high_value_threshold__gt=0)
        | ~Q(account__customer__vulnerability_flags=[])
        | Q(Exists(dispute)) | Q(Exists(broken)) | Q(Exists(callback))
    )


def cases_route_all(*, actor, creditor: Creditor | None = None, limit: int | None = None,
                    progress=None) -> dict:
    """Route every candidate case again (``manage.py route_cases``). Each case in its own transaction."""
    counts = {"checked": 0, "changed": 0}
    ids = cases_needing_routing(creditor=creditor).order_by("id").values_list("id", flat=True)
    if limit:
        ids = ids[:limit]
    for pk in ids.iterator(chunk_size=2000):
        case = Case(pk=pk)
        before = Case.objects.filter(pk=pk).values_list("version", flat=True).first()
        after = case_reroute(case=case, actor=actor, reason="routing run").version
        counts["checked"] += 1
        counts["changed"] += int(after != before)
        if progress:
            progress(1)
    return counts
