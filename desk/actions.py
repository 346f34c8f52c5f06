"""One entry point per desk action, shared by the desk pages and the API: validated data in, the owning
service called, a plain message out."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Case, User
from accounts.services_assignment import case_assign, case_close, case_release, case_take

from . import services
from .models import ApprovalRequest


def case_action_run(*, name: str, case: Case, actor: User, data: dict):
    """Call the one service for the desk action ``name`` with validated form data. Returns the result,
    a message level and a plain message for the agent. Used by the desk pages and the API alike."""
    user, version = actor, data.get("version")
    result_ = None
    if name == "call":
        result_ = msg = services.desk_call_log(case=case, actor=user, version=version, direction=data["direction"],
                                     outcome=data["outcome"], duration_seconds=data["duration_minutes"] * 60,
                                     notes=data["notes"], transcript=data["transcript"])
        return result_, "success", _("Call logged: %(outcome)s.") % {"outcome": msg.get_call_outcome_display()}
    if name == "message":
        result_ = msg = services.desk_message_send(case=case, actor=user, version=version, channel=data["channel"],
                                         purpose=data["purpose"], idempotency_key=data.get("idempotency_key") or None)
        if msg.status == "blocked":
            when = timezone.localtime(msg.next_allowed_at).strftime("%d %b %H:%M") if msg.next_allowed_at else None
            why = msg.status_reason or ", ".join(getattr(msg.gate_decision, "reasons", []) or [])
            text = _("Not sent: the contact rules say no (%(why)s).") % {"why": why}
            if when:
                text += " " + _("Next allowed: %(when)s.") % {"when": when}
            return result_, "warning", text
        return result_, "success", _("Message queued: it goes out through the contact rules.")
    if name == "promise":
        result_ = services.desk_promise_record(case=case, actor=user, version=version, amount=data["amount"],
                                     due_date=data["due_date"])
        return result_, "success", _("Promise recorded. The case waits until the day after the promised date.")
    if name == "plan":
        result_ = plan = services.desk_plan_propose(case=case, actor=user, version=version, frequency=data["frequency"],
                                          count=data["count"], start=data["start"],
                                          allow_exception=data["allow_exception"])
        if plan.status == "pending_approval":
            return result_, "info", _("The plan is outside policy; it is waiting for a supervisor's approval.")
        return result_, "success", _("Plan proposed. The customer can accept it.")
    if name == "dispute":
        result_ = services.desk_dispute_open(case=case, actor=user, version=version, reason=data["reason"],
                                   description=data["description"])
        return result_, "success", _("Dispute opened; collection of this account is paused.")
    if name == "dispute-resolve":
        result_ = result = services.desk_dispute_resolve(case=case, actor=user, version=version, dispute=data["dispute"],
                                               outcome=data["outcome"], note=data["note"])
        if isinstance(result, ApprovalRequest):
            return result_, "info", _("Sent to a supervisor for approval.")
        return result_, "success", _("Dispute outcome recorded.")
    if name == "hardship":
        result_ = services.desk_hardship_pause(case=case, actor=user, version=version, until=data["until"],
                                     reason=data["reason"])
        return result_, "success", _("Collection paused until %(d)s.") % {"d": data["until"].strftime("%d %b %Y")}
    if name == "vulnerability":
        result_ = services.desk_vulnerability_set(case=case, actor=user, version=version, flags=data["flags"],
                                        note=data["note"])
        return result_, "success", _("Care needs saved.")
    if name == "note":
        result_ = services.case_note_add(case=case, actor=user, version=version, text=data["text"])
        return result_, "success", _("Note added.")
    if name == "callback":
        result_ = services.desk_callback_request(case=case, actor=user, version=version, preferred_at=data["preferred_at"],
                                       note=data["note"])
        return result_, "success", _("Callback booked.")
    if name == "approval":
        result_ = services.approval_request_create(case=case, actor=user, version=version, kind=data["kind"], note=data["note"])
        return result_, "success", _("Sent to a supervisor.")
    if name == "close":
        result_ = case_close(case=case, actor=user, version=version, note=data["note"])
        return result_, "success", _("Case closed: back to automated reminders.")
    if name == "take":
        result_ = case_take(case=case, agent=user, version=version)
        return result_, "success", _("The case is yours.")
    if name == "release":
        result_ = case_release(case=case, actor=user, version=version)
        return result_, "success", _("Handed back to the queue.")
    if name == "assign":
        result_ = case = case_assign(case=case, actor=user, agent=data["agent"], version=version, note=data["note"])
        return result_, "success", _("Assigned to %(who)s.") % {"who": case.assignee.get_full_name() or case.assignee.username}
    raise Http404


