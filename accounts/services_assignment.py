"""Who works which case: skills (the customer's language; dispute-, vulnerability- and high-value-trained
people for those queues), capacity and least-loaded choice, "next case" for an agent, assignment and
reassignment by a supervisor, and the optimistic check that stops a stale form from overwriting news.

Concurrency: ``case_take_next`` locks candidate rows with ``SELECT … FOR UPDATE SKIP LOCKED`` so two agents
asking at the same moment get different cases; ``case_take`` (one named case) locks the row and re-checks
it, so when two agents click the same case one wins and the other is told who has it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .choices import HUMAN_QUEUES, CallbackStatus, CaseStatus, Queue, Role, Skill
from .models import AgentProfile, CallbackRequest, Case, User
from .services_routing import case_bump, case_reroute, routing_decide, routing_facts_for, routing_policy_for

# The skill a queue needs; other human queues are open to every agent.
QUEUE_SKILL = {
    Queue.DISPUTES: Skill.DISPUTES,
    Queue.VULNERABLE: Skill.VULNERABILITY,
    Queue.HIGH_VALUE: Skill.HIGH_VALUE,
}


class CaseChanged(ApplicationError):
    """The case moved on since the form was opened (reassigned, closed, re-routed, or a stale form)."""


# ---- who may work what ------------------------------------------------------------------------------


def agent_profile(user: User) -> AgentProfile | None:
    try:
        return user.agent_profile
    except AgentProfile.DoesNotExist:
        return None


def agent_queues(profile: AgentProfile) -> list[str]:
    """The human queues this agent is trained for."""
    skills = set(profile.skills or [])
    return [q for q in HUMAN_QUEUES if q not in QUEUE_SKILL or QUEUE_SKILL[q] in skills]


def agent_load(user: User) -> int:
    """Cases this person holds that are not closed (waiting ones count: they are still theirs)."""
    return Case.objects.filter(assignee=user).exclude(status=CaseStatus.CLOSED).count()


def why_cannot_work(profile: AgentProfile | None, case: Case) -> str | None:
    """Plain words why this agent may not have this case, or None when they may."""
    if profile is None:
        return "This person has no agent profile (languages, skills, capacity) yet."
    if case.queue not in agent_queues(profile):
        skill = QUEUE_SKILL.get(case.queue)
        return f"{profile.display_name} is not trained for this queue ({Skill(skill).label})."
    language = case.account.customer.language
    if language not in (profile.languages or []):
        return f"{profile.display_name} does not speak the customer's language ({language})."
    return None


@dataclass(frozen=True)
class AgentLoad:
    profile: AgentProfile
    load: int

    @property
    def free(self) -> int:
        return max(0, self.profile.capacity - self.load)

    @property
    def ratio(self) -> float:
        return self.load / self.profile.capacity if self.profile.capacity else 1.0


def agents_with_load() -> list[AgentLoad]:
    """Every active agent profile with its open-case count, in one query."""
    profiles = AgentProfile.objects.filter(user__is_active=True).select_related("user").annotate(
        open_cases=Count("user__assigned_cases", filter=~Q(user__assigned_cases__status=CaseStatus.CLOSED))
    ).order_by("display_name")
    return [AgentLoad(p, p.open_cases) for p in profiles]


def agent_least_loaded_for(case: Case, *, exclude: User | None = None) -> AgentProfile | None:
    """The available agent with room who may work this case, least loaded first (by share of capacity,
    then by count, then name, so the choice is stable)."""
    candidates = [
        a for a in agents_with_load()
        if a.profile.is_available and a.free > 0 and why_cannot_work(a.profile, case) is None
        and (exclude is None or a.profile.user_id != exclude.pk)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda a: (a.ratio, a.load, a.profile.display_name)).profile


# ---- optimistic concurrency -------------------------------------------------------------------------


def case_lock(case: Case | int) -> Case:
    """The case row locked for this transaction, with its account, customer and creditor."""
    # No joins in the locking query: after waiting for the lock PostgreSQL re-reads the locked row but not
    # the joined ones, so a joined assignee or account could be stale. They are read after the lock.
    from .services_routing import _lock_case

    return _lock_case(Case(pk=case if isinstance(case, int) else case.pk))


def case_check_version(case: Case, version: int | None) -> None:
    """Refuse an action prepared against an older version of the case, saying what changed."""
    if version is None or int(version) == case.version:
        return
    if case.status == CaseStatus.CLOSED:
        what = "It was closed."
    elif case.assignee_id:
        what = f"It is now with {case.assignee.get_full_name() or case.assignee.username}."
    else:
        what = f"It is now in the {Queue(case.queue).label} queue."
    raise CaseChanged(f"This case changed while you had it open. {what} Nothing was saved; please look again.",
                      {"code": "case_changed", "version": case.version})


def _assign(case: Case, *, to: User | None, actor, action: str, reason: str, note: str = "") -> Case:
    before = case.assignee_id
    case.assignee = to
    case_bump(case)
    save_tracked(case, actor=actor, reason=reason)
    audit_record(actor=actor, action=action, obj=case, account=case.account, payload={
        "from_user_id": before, "to_user_id": to.pk if to else None, "queue": case.queue, "note_given": bool(note),
    })
    return case


# ---- agents -----------------------------------------------------------------------------------------


@transaction.atomic
def case_take_next(*, agent: User, queue: str | None = None, now: datetime | None = None) -> Case:
    """The most urgent unassigned open case this agent may work (priority, then SLA due, then oldest),
    assigned to them. Rows another agent is taking right now are skipped, never waited for."""
    profile = agent_profile(agent)
    if profile is None or not agent.has_role(Role.AGENT):
        raise ApplicationError("You need an agent profile to take cases.", {"code": "no_profile"})
    load = agent_load(agent)
    if load >= profile.capacity:
        raise ApplicationError(f"You already have {load} open cases, your limit. Finish or hand one back first.",
                               {"code": "at_capacity", "load": load})
    queues = agent_queues(profile)
    if queue:
        if queue not in HUMAN_QUEUES:
            raise ApplicationError("Unknown queue.", {"queue": queue})
        if queue not in queues:
            raise ApplicationError("You are not trained for that queue.", {"code": "no_skill", "queue": queue})
        queues = [queue]
    candidates = (
        Case.objects.filter(queue__in=queues, status=CaseStatus.OPEN, assignee__isnull=True,
                            account__customer__language__in=list(profile.languages or []))
        .order_by("priority", F("sla_due_at").asc(nulls_last=True), "opened_at", "id")
        .select_for_update(skip_locked=True, of=("self",))
    )
    case = candidates.first()
    if case is None:
        raise ApplicationError("There is no case waiting that you can take. Well done.", {"code": "queue_empty"})
    case = case_lock(case)
    return _assign(case, to=agent, actor=agent, action="case.taken", reason="Took the next case")


@transaction.atomic
def case_take(*, case: Case, agent: User, version: int | None = None) -> Case:
    """Take one named case from the queue. If another agent got there first, say who."""
    case = case_lock(case)
    if case.assignee_id == agent.pk:
        return case
    if case.assignee_id:
        raise CaseChanged(
            f"{case.assignee.get_full_name() or case.assignee.username} took this case a moment ago.",
            {"code": "already_taken", "assignee": case.assignee.username})
    case_check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseChanged("This case is closed.", {"code": "closed"})
    problem = why_cannot_work(agent_profile(agent), case)
    if problem:
        raise ApplicationError(problem, {"code": "not_eligible"})
    if agent_load(agent) >= agent_profile(agent).capacity:
        raise ApplicationError("You are at your case limit. Finish or hand one back first.", {"code": "at_capacity"})
    return _assign(case, to=agent, actor=agent, action="case.taken", reason="Took the case")


@transaction.atomic
def case_release(*, case: Case, actor: User, version: int | None = None, note: str = "") -> Case:
    """Hand a case back to its queue."""
    case = case_lock(case)
    case_check_version(case, version)
    if case.assignee_id != actor.pk and not actor.has_role(Role.SUPERVISOR):
        raise ApplicationError("Only the person who has this case, or a supervisor, can hand it back.",
                               {"code": "forbidden"})
    if case.assignee_id is None:
        return case
    return _assign(case, to=None, actor=actor, action="case.released", reason="Handed back to the queue", note=note)


# ---- supervisors ------------------------------------------------------------------------------------


@transaction.atomic
def case_assign(*, case: Case, actor: User, agent: User | None = None, version: int | None = None,
                note: str = "") -> Case:
    """A supervisor gives a case to an agent (or, with no agent, to the least-loaded one who may work it).
    Refused when the agent lacks the skill or language, or is at capacity; a stale form is refused."""
    if not actor.has_role(Role.SUPERVISOR):
        raise ApplicationError("Only a supervisor can assign cases.", {"code": "forbidden"})
    case = case_lock(case)
    case_check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseChanged("This case is closed.", {"code": "closed"})
    if case.queue not in HUMAN_QUEUES:
        raise ApplicationError("This case is with automated reminders; nothing needs a person now.",
                               {"code": "automated"})
    if agent is None:
        profile = agent_least_loaded_for(case)
        if profile is None:
            raise ApplicationError("No available agent with room has the skills and language for this case.",
                                   {"code": "no_agent"})
        agent = profile.user
    else:
        profile = agent_profile(agent)
        problem = why_cannot_work(profile, case)
        if problem:
            raise ApplicationError(problem, {"code": "not_eligible"})
        if case.assignee_id != agent.pk and agent_load(agent) >= profile.capacity:
            raise ApplicationError(f"{profile.display_name} is at their case limit ({profile.capacity}).",
                                   {"code": "at_capacity"})
    if case.assignee_id == agent.pk:
        return case
    action = "case.reassigned" if case.assignee_id else "case.assigned"
    return _assign(case, to=agent, actor=actor, action=action,
                   reason=f"{'Reassigned' if case.assignee_id else 'Assigned'} to {agent.username}", note=note)


def case_reassign(*, case: Case, actor: User, agent: User | None, version: int | None = None, note: str = "") -> Case:
    """Move a case from one agent to another (the same checks as ``case_assign``)."""
    return case_assign(case=case, actor=actor, agent=agent, version=version, note=note)


# ---- the case's own state ---------------------------------------------------------------------------


@transaction.atomic
def case_wait(*, case: Case, actor: User, until: datetime, version: int | None = None, why: str = "") -> Case:
    """Nothing to do until ``until`` (a promise date, a plan's first payment): the case leaves the working
    list and comes back on its own then (``cases_wake_due``) or as soon as routing has news."""
    case = case_lock(case)
    case_check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseChanged("This case is closed.", {"code": "closed"})
    case.status, case.sla_due_at = CaseStatus.WAITING, until
    case_bump(case)
    save_tracked(case, actor=actor, reason=f"Waiting: {why}"[:100] if why else "Waiting on the customer")
    audit_record(actor=actor, action="case.waiting", obj=case, account=case.account,
                 payload={"until": until, "why": why[:100]})
    return case


def cases_wake_due(*, now: datetime | None = None) -> int:
    """Waiting cases whose time has come are open again (Celery beat)."""
    from collections_crm.history import system_user

    now = now or timezone.now()
    actor = system_user()
    count = 0
    for pk in Case.objects.filter(status=CaseStatus.WAITING, sla_due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            case = case_lock(pk)
            if case.status != CaseStatus.WAITING:
                continue
            policy = routing_policy_for(case.creditor)
            from .services_routing import queue_policy

            decision = routing_decide(routing_facts_for(case, policy), policy)
            case.status = CaseStatus.OPEN
            case.sla_due_at = decision.sla_due(now, queue_policy(policy))
            case_bump(case)
            save_tracked(case, actor=actor, reason="Follow-up due")
            audit_record(actor=actor, action="case.follow_up_due", obj=case, account=case.account, payload={})
            count += 1
    return count


_CLOSE_BLOCKERS = {
    Queue.DISPUTES: "The dispute is still open: resolve it first.",
    Queue.VULNERABLE: "The customer is flagged for extra care: that stays with a person until the flag is cleared.",
    Queue.HIGH_VALUE: "High-value accounts stay with a person while the balance is above the threshold.",
    Queue.BROKEN_PLANS: "Plans broke more than the limit: this account stays with a person.",
}


@transaction.atomic
def case_close(*, case: Case, actor: User, version: int | None = None, note: str = "") -> Case:
    """Finish a person's work on the case: the complaint and review flags are cleared, open callback
    requests are marked done, and the case goes back to automated reminders (or stays closed when the
    account is closed). Refused while something only a person may handle is still true."""
    case = case_lock(case)
    case_check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseChanged("This case is already closed.", {"code": "closed"})
    if case.assignee_id and case.assignee_id != actor.pk and not actor.has_role(Role.SUPERVISOR):
        raise CaseChanged("Another agent has this case now.", {"code": "not_yours"})
    policy = routing_policy_for(case.creditor)
    from dataclasses import replace

    facts = routing_facts_for(case, policy)
    remaining = routing_decide(replace(facts, complaint=False, review_requested=False, callback_requested=False),
                               policy)
    if not facts.closed and remaining.queue in _CLOSE_BLOCKERS:
        raise ApplicationError(_CLOSE_BLOCKERS[remaining.queue], {"code": "still_needs_person",
                                                                  "queue": remaining.queue})
    case.complaint_open = case.review_requested = False
    case_bump(case)
    save_tracked(case, actor=actor, reason="Closed by agent")
    now = timezone.now()
    for request in CallbackRequest.objects.select_for_update().filter(case=case, status=CallbackStatus.OPEN):
        request.status, request.completed_at, request.completed_by = CallbackStatus.DONE, now, actor
        save_tracked(request, actor=actor, reason="Case closed")
    audit_record(actor=actor, action="case.closed", obj=case, account=case.account,
                 payload={"queue": case.queue, "note_given": bool(note)})
    return case_reroute(case=case, actor=actor, reason="closed by agent")
