"""Desk actions on a case. Each one locks the case, refuses a stale form (the case's ``version``), a closed
case or a case now with someone else with a plain message, then calls the owning app's service — the
same ones the API and the portal use — and marks the case as touched so every other open form on it is
now stale (a double click cannot record a promise twice).

Contact always goes through the gate: calls through ``outreach.services.call_log`` and messages through
``outreach.services.message_queue``, which reserve with ``compliance.services.contact_reserve``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.choices import CaseStatus, Role
from accounts.models import Case, User
from accounts.services import account_write_off
from accounts.services_assignment import CaseChanged, case_check_version, case_lock, case_wait
from accounts.services_routing import callback_request_create, case_bump, customer_vulnerability_set
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance import services as compliance
from compliance.audit import audit_record
from compliance.choices import DisputeSource, DisputeStatus, HoldKind
from compliance.models import Dispute

from .choices import ApprovalKind, ApprovalStatus
from .models import ApprovalRequest, CaseNote

# Dispute outcomes an agent records alone; the others go to a supervisor.
AGENT_DISPUTE_OUTCOMES = {DisputeStatus.WITHDRAWN}


def _prepare(*, case: Case, actor: User, version: int | None) -> Case:
    case = case_lock(case)
    case_check_version(case, version)
    if case.status == CaseStatus.CLOSED:
        raise CaseChanged("This case is closed, so nothing was done.", {"code": "closed"})
    if case.assignee_id and case.assignee_id != actor.pk and not actor.has_role(Role.SUPERVISOR):
        who = case.assignee.get_full_name() or case.assignee.username
        raise CaseChanged(f"This case is now with {who}, so nothing was done.", {"code": "not_yours"})
    return case


def _touch(case: Case, *, actor, seen: int, what: str) -> Case:
    """Mark the case as changed by this action (unless the action already did)."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if fresh.version == seen:
        case_bump(fresh)
        save_tracked(fresh, actor=actor, reason=f"Desk: {what}")
    return fresh


@transaction.atomic
def desk_call_log(*, case: Case, actor: User, version: int | None, direction: str, outcome: str,
                  duration_seconds: int, notes: str, transcript: str = ""):
    """Log a phone call (outbound calls pass the contact gate inside ``call_log``)."""
    from outreach.services import call_log

    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    message = call_log(case=case, actor=actor, outcome=outcome, duration_seconds=duration_seconds, notes=notes,
                       transcript=transcript, direction=direction)
    _touch(case, actor=actor, seen=seen, what="call logged")
    return message


@transaction.atomic
def desk_message_send(*, case: Case, actor: User, version: int | None, channel: str, purpose: str,
                      idempotency_key: str | None = None):
    """Send an approved template through the gate. A blocked message comes back with its reasons and the
    next lawful moment; nothing leaves."""
    from outreach.choices import MessageSource
    from outreach.services import message_queue

    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    message = message_queue(customer=case.account.customer, account=case.account, channel=channel,
                            purpose=purpose, actor=actor, source=MessageSource.AGENT, case=case,
                            idempotency_key=idempotency_key)
    _touch(case, actor=actor, seen=seen, what="message")
    return message


@transaction.atomic
def desk_promise_record(*, case: Case, actor: User, version: int | None, amount: Decimal, due_date: date,
                        channel: str = "phone"):
    """Record the customer's promise (payments) and set the case to wait until the day after it."""
    from payments.services import promise_create

    case = _prepare(case=case, actor=actor, version=version)
    promise = promise_create(actor=actor, account=case.account, amount=amount, due_date=due_date, channel=channel)
    follow_up = timezone.make_aware(datetime.combine(due_date + timedelta(days=1), time(9)))
    case_wait(case=case, actor=actor, until=follow_up, why="promise to pay")
    return promise


@transaction.atomic
def desk_plan_propose(*, case: Case, actor: User, version: int | None, frequency: str, count: int, start: date,
                      allow_exception: bool = False):
    """Build and propose a plan (payments). Outside the creditor's policy it is refused with reasons, or
    with ``allow_exception`` it waits in the supervisor's approvals inbox."""
    from payments.services import plan_create

    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    plan = plan_create(actor=actor, account=case.account, frequency=frequency, count=count, start=start,
                       allow_exception=allow_exception)
    _touch(case, actor=actor, seen=seen, what="plan proposed")
    return plan


@transaction.atomic
def desk_dispute_open(*, case: Case, actor: User, version: int | None, reason: str, description: str = ""):
    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    dispute = compliance.dispute_open(account=case.account, reason=reason, description=description,
                                      source=DisputeSource.AGENT, actor=actor)
    _touch(case, actor=actor, seen=seen, what="dispute opened")
    return dispute


@transaction.atomic
def desk_dispute_resolve(*, case: Case, actor: User, version: int | None, dispute: Dispute, outcome: str,
                         note: str):
    """A withdrawn dispute an agent records at once; "verified" (collection resumes) and "upheld" (in the
    customer's favour) need a supervisor: an agent's choice becomes an approval request. Returns the
    dispute when resolved, or the ApprovalRequest."""
    case = _prepare(case=case, actor=actor, version=version)
    if dispute.account_id != case.account_id:
        raise ApplicationError("That dispute belongs to another account.", {"code": "wrong_dispute"})
    if outcome not in DisputeStatus.resolved_states():
        raise ApplicationError("Choose an outcome: upheld, verified or withdrawn.", {"outcome": outcome})
    if not note.strip():
        raise ApplicationError("Please add a note explaining the outcome.", {"note": ""})
    seen = case.version
    if outcome in AGENT_DISPUTE_OUTCOMES or actor.has_role(Role.SUPERVISOR):
        result = compliance.dispute_resolve(dispute=dispute, outcome=outcome, note=note, actor=actor)
    else:
        result = _approval_create(case=case, actor=actor, kind=ApprovalKind.DISPUTE_OUTCOME, note=note,
                                  dispute=dispute, proposed_outcome=outcome)
    _touch(case, actor=actor, seen=seen, what="dispute outcome")
    return result


@transaction.atomic
def desk_hardship_pause(*, case: Case, actor: User, version: int | None, until: date, reason: str):
    """Pause collection while the customer gets through a hard time (a hold with an end date)."""
    case = _prepare(case=case, actor=actor, version=version)
    ends_at = timezone.make_aware(datetime.combine(until, time(0)))
    if ends_at <= timezone.now():
        raise ApplicationError("A hardship pause must end in the future.", {"code": "until_past"})
    seen = case.version
    hold = compliance.hold_place(account=case.account, kind=HoldKind.HARDSHIP_PAUSE, ends_at=ends_at, reason=reason,
                                 actor=actor)
    _touch(case, actor=actor, seen=seen, what="hardship pause")
    return hold


@transaction.atomic
def desk_vulnerability_set(*, case: Case, actor: User, version: int | None, flags: list[str], note: str = ""):
    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    customer = customer_vulnerability_set(customer=case.account.customer, flags=flags, note=note, actor=actor)
    _touch(case, actor=actor, seen=seen, what="vulnerability")
    return customer


@transaction.atomic
def desk_callback_request(*, case: Case, actor: User, version: int | None, preferred_at: datetime | None,
                          note: str = ""):
    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    request = callback_request_create(case=case, preferred_at=preferred_at, note=note, source="agent", actor=actor)
    _touch(case, actor=actor, seen=seen, what="callback")
    return request


@transaction.atomic
def case_note_add(*, case: Case, actor: User, version: int | None, text: str) -> CaseNote:
    """A note on the case timeline (the text stays out of the audit chain)."""
    case = _prepare(case=case, actor=actor, version=version)
    if not text.strip():
        raise ApplicationError("Write something in the note first.", {"code": "empty"})
    note = CaseNote(case=case, text=text.strip(), author=actor)
    save_tracked(note, actor=actor, reason="Note added")
    audit_record(actor=actor, action="case.note_added", obj=note, account=case.account,
                 payload={"case_id": case.pk, "length": len(note.text)})
    _touch(case, actor=actor, seen=case.version, what="note")
    return note


# ---- approvals ----------------------------------------------------------------------------------------


def _approval_create(*, case, actor, kind, note, dispute=None, proposed_outcome="") -> ApprovalRequest:
    if ApprovalRequest.objects.filter(case=case, kind=kind, status=ApprovalStatus.PENDING).exists():
        raise ApplicationError("A request like this is already waiting for a supervisor.", {"code": "pending"})
    request = ApprovalRequest(case=case, kind=kind, note=note, dispute=dispute, proposed_outcome=proposed_outcome,
                              requested_by=actor)
    save_tracked(request, actor=actor, reason="Approval requested")
    audit_record(actor=actor, action="approval.requested", obj=request, account=case.account,
                 payload={"kind": kind, "proposed_outcome": proposed_outcome, "dispute_id": getattr(dispute, "pk", None)})
    return request


@transaction.atomic
def approval_request_create(*, case: Case, actor: User, version: int | None, kind: str, note: str) -> ApprovalRequest:
    """Ask a supervisor to decide (a write-off, or anything else that needs one)."""
    if kind not in (ApprovalKind.WRITE_OFF, ApprovalKind.OTHER):
        raise ApplicationError("Choose what you need a supervisor to decide.", {"kind": kind})
    if not note.strip():
        raise ApplicationError("Say in a few words what you need and why.", {"note": ""})
    case = _prepare(case=case, actor=actor, version=version)
    seen = case.version
    request = _approval_create(case=case, actor=actor, kind=kind, note=note)
    _touch(case, actor=actor, seen=seen, what="approval requested")
    return request


@transaction.atomic
def approval_decide(*, request: ApprovalRequest, actor: User, approve: bool, note: str = "") -> ApprovalRequest:
    """A supervisor approves (the decision is carried out now, through its owning service) or declines."""
    if not actor.has_role(Role.SUPERVISOR):
        raise ApplicationError("Only a supervisor can decide this.", {"code": "forbidden"})
    request = ApprovalRequest.objects.select_for_update(of=("self",)).select_related("case__account", "dispute").get(
        pk=request.pk)  # lock the request row only: its dispute link is a nullable outer join
    if request.status != ApprovalStatus.PENDING:
        raise ApplicationError("This request was already decided.", {"code": "decided", "status": request.status})
    if approve:
        if request.kind == ApprovalKind.DISPUTE_OUTCOME:
            compliance.dispute_resolve(dispute=request.dispute, outcome=request.proposed_outcome,
                                       note=request.note + (f"\n\nSupervisor: {note}" if note else ""), actor=actor)
        elif request.kind == ApprovalKind.WRITE_OFF:
            account_write_off(account=request.case.account, actor=actor, reason=note or request.note)
    request.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    save_tracked(request, actor=actor, reason=f"Approval {request.status}")
    audit_record(actor=actor, action=f"approval.{request.status}", obj=request, account=request.case.account,
                 payload={"kind": request.kind, "proposed_outcome": request.proposed_outcome})
    return request
