"""Reads for the desk: the queue lists, one case with everything on one screen, its timeline across
channels, "can I contact now", and the supervisor's overview. Every read is a bounded number of
queries whatever the size of the data (tests guard it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import HUMAN_QUEUES, CaseStatus, Channel, Queue
from accounts.models import Case, User
from compliance.choices import GateReason
from compliance.gate import check
from compliance.models import Dispute, Hold
from compliance.rules import ALL_CHANNELS
from compliance.selectors import gate_context_for

from .choices import ApprovalStatus
from .models import ApprovalRequest, CaseNote

TIMELINE_PER_KIND = 50
TIMELINE_MAX = 150

SORTS = {
    "urgent": ("priority", "sla_due_at", "id"),
    "due": ("sla_due_at", "priority", "id"),
    "oldest": ("opened_at", "id"),
    "balance": ("-account__balance", "id"),
}


def _case_qs() -> QuerySet[Case]:
    return Case.objects.select_related("account", "account__customer", "creditor", "assignee")


def queue_cases(*, user: User, scope: str = "mine", queue: str = "", status: str = "open", q: str = "",
                creditor: str = "", sort: str = "urgent") -> QuerySet[Case]:
    """The working list: my cases, or a human queue's cases (unassigned first when sorting by urgency)."""
    qs = _case_qs()
    if scope == "any":
        pass
    elif scope == "mine":
        qs = qs.filter(assignee=user)
    elif scope == "unassigned":
        qs = qs.filter(assignee__isnull=True, queue__in=HUMAN_QUEUES)
    elif not queue:
        qs = qs.filter(queue__in=HUMAN_QUEUES)
    if queue:
        qs = qs.filter(queue=queue if queue in HUMAN_QUEUES else "-")
    if status in (CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.CLOSED):
        qs = qs.filter(status=status)
    if creditor:
        qs = qs.filter(creditor__slug=creditor)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(account__reference__iexact=q) | Q(account__customer__external_ref__iexact=q)
            | Q(account__customer__last_name__iexact=q) | Q(account__customer__phone=q)
        )
    order = list(SORTS.get(sort, SORTS["urgent"]))
    if order[0] == "sla_due_at" or "sla_due_at" in order:
        from django.db.models import F

        order = [F("sla_due_at").asc(nulls_last=True) if o == "sla_due_at" else o for o in order]
    return qs.order_by(*order)


# What a queue row shows (templates/desk/partials/_queue_rows.html). A page reads only these columns of its
# five joined tables: loading every column of 25 cases, accounts, customers, creditors and agents cost
# more than rendering the rows.
QUEUE_ROW_FIELDS = (
    "queue", "routing_reason", "status", "priority", "sla_due_at", "account_id", "creditor_id", "assignee_id",
    "account__reference", "account__balance", "account__currency", "account__customer_id",
    "account__customer__first_name", "account__customer__last_name", "account__customer__language",
    "creditor__display_name", "assignee__username", "assignee__first_name", "assignee__last_name",
)


def queue_rows(**filters) -> QuerySet[Case]:
    """``queue_cases`` with only what the desk's queue rows show."""
    return queue_cases(**filters).only(*QUEUE_ROW_FIELDS)


def case_for_desk(pk: int) -> Case:
    """One case with its account, customer, creditor and assignee in one query. The account's and the
    customer's creditor are the case's: shared, not joined again (nor read again by the plan options)."""
    case = _case_qs().get(pk=pk)
    for holder in (case.account, case.account.customer):
        if holder.creditor_id == case.creditor_id:
            holder.creditor = case.creditor
    return case


# ---- can I contact now? ---------------------------------------------------------------------------------


@dataclass
class ChannelNow:
    channel: str
    allowed: bool
    reasons: list[str]
    next_allowed_at: datetime | None
    label: str = ""  # the channel in the reader's language


def contact_now(case: Case, at: datetime | None = None, *, context=None) -> list[ChannelNow]:
    """The pure gate's answer for each channel, right now — read-only: nothing is decided or reserved
    here (sending goes through ``contact_reserve``)."""
    at = at or timezone.now()
    customer, account = case.account.customer, case.account
    context = context or gate_context_for(customer=customer, account=account, at=at)
    out = []
    for channel in ALL_CHANNELS:
        decision = check(customer=customer, account=account, channel=channel, at=at, context=context)
        labels = [str(GateReason(r).label) if r in GateReason.values else r for r in decision.reasons
                  if r != GateReason.ALLOWED]
        out.append(ChannelNow(channel, decision.allowed, labels, decision.next_allowed_at,
                              str(Channel(channel).label)))
    return out


# ---- the timeline ---------------------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # message, call, payment, plan, promise, dispute, hold, note, callback, change, approval
    title: str
    detail: str = ""
    who: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class _People:
    """Who did what on a timeline: items note a user id, and all the names are read at the end in one
    query (joining the user table into each kind's read cost more than the read itself)."""

    def __init__(self):
        self.waiting: list[tuple[TimelineItem, int]] = []

    def add(self, item: TimelineItem, user_id: int | None) -> TimelineItem:
        if user_id:
            self.waiting.append((item, user_id))
        return item

    def name_all(self) -> None:
        ids = {user_id for _item, user_id in self.waiting}
        if not ids:
            return
        names = {u.pk: _who(u) for u in User.objects.filter(pk__in=ids).only("username", "first_name", "last_name")}
        for item, user_id in self.waiting:
            item.who = names.get(user_id, "")


_HIDDEN_FIELDS = {"version", "updated_at", "routed_at", "history_id"}
_SHOWN_FIELDS: dict[type, list] = {}


def _shown_fields(history_model) -> list:
    """The tracked, editable fields a change line may name, by name (as ``diff_against`` orders them)."""
    fields = _SHOWN_FIELDS.get(history_model)
    if fields is None:
        tracked = {f.name for f in history_model.tracked_fields if f.editable} - _HIDDEN_FIELDS
        fields = _SHOWN_FIELDS[history_model] = sorted(
            (f for f in history_model._meta.concrete_fields if f.name in tracked), key=lambda f: f.name)
    return fields


def _changes(newer, older, fields) -> list[tuple[str, Any, Any]]:
    """What differs between two history rows: ``diff_against`` without rebuilding both rows as dicts for
    every pair (50 pairs a kind on a busy case)."""
    out = []
    for f in fields:
        old, new = f.value_from_object(older), f.value_from_object(newer)
        if old != new:
            out.append((f.name, old, new))
    return out


def _field_changes(model, pk_field: str, pk: int, changed: str, created: str, people: _People) -> list[TimelineItem]:
    # The historical model's plain manager: ``model.history`` builds a manager class on every access.
    history_model = model.history.model
    rows = list(history_model._default_manager.filter(**{pk_field: pk})
                .order_by("-history_date", "-history_id")[: TIMELINE_PER_KIND + 1])
    fields = _shown_fields(history_model)
    items = []
    for newer, older in zip(rows, rows[1:], strict=False):
        changes = _changes(newer, older, fields)
        if not changes:
            continue
        text = "; ".join(f"{name}: {old if old not in (None, '') else '—'} → {new}" for name, old, new in changes[:6])
        items.append(people.add(TimelineItem(newer.history_date, "change", changed, text, "",
                                             {"reason": newer.history_change_reason or ""}), newer.history_user_id))
    if rows and len(rows) <= TIMELINE_PER_KIND:
        first = rows[-1]
        items.append(people.add(TimelineItem(first.history_date, "change", created,
                                             first.history_change_reason or ""), first.history_user_id))
    return items


def case_timeline(case: Case, *, limit: int = TIMELINE_MAX) -> list[TimelineItem]:
    """One story across channels, newest first (see ``case_story``)."""
    return case_story(case, limit=limit)[0]


def case_story(case: Case, *, limit: int = TIMELINE_MAX) -> tuple[list[TimelineItem], dict[str, list]]:
    """One story across channels, newest first: messages and calls, payments, plans, promises, disputes,
    holds, callbacks, notes, approvals and field changes from the history. One query per kind, each
    capped, and one for the names of the people involved, so the page costs the same on a case with ten
    events or ten thousand. Also returns the rows it read (plans, promises, disputes, holds, callbacks) so
    the case page's panels reuse them."""
    from payments.models import InstalmentPlan, Payment, PromiseToPay

    account = case.account
    people = _People()
    items: list[TimelineItem] = []
    sources: dict[str, list] = {}
    if apps.is_installed("outreach") and _message_model() is not None:
        items += _messages(case, people)
    # Wide tables are read for the columns the story shows (the plans also for their panel).
    for p in Payment.objects.filter(account_id=account.pk).only(
            "created_at", "status", "amount", "currency", "provider").order_by("-created_at", "-id")[:TIMELINE_PER_KIND]:
        items.append(TimelineItem(p.created_at, "payment", _("Payment %(status)s") % {"status": p.get_status_display().lower()},
                                  f"{p.amount} {p.currency}", "", {"provider": p.provider}))
    sources["plans"] = list(InstalmentPlan.objects.filter(account_id=account.pk).only(
        "created_at", "status", "total", "currency", "frequency", "proposed_by_id").order_by(
        "-created_at", "-id")[:TIMELINE_PER_KIND])
    for plan in sources["plans"]:
        items.append(people.add(TimelineItem(plan.created_at, "plan", _("Plan: %(status)s") % {"status": plan.get_status_display()},
                                             f"{plan.total} {plan.currency}, {plan.get_frequency_display().lower()}"),
                                plan.proposed_by_id))
    sources["promises"] = list(PromiseToPay.objects.filter(account_id=account.pk).order_by(
        "-created_at", "-id")[:TIMELINE_PER_KIND])
    for pr in sources["promises"]:
        items.append(people.add(TimelineItem(pr.created_at, "promise", _("Promise to pay: %(status)s") % {"status": pr.get_status_display()},
                                             _("%(amount)s by %(date)s") % {"amount": f"{pr.amount} {pr.currency}",
                                                                            "date": f"{pr.due_date:%d %b %Y}"}), pr.taken_by_id))
    sources["disputes"] = list(Dispute.objects.filter(account_id=account.pk).order_by(
        "-opened_at", "-id")[:TIMELINE_PER_KIND])
    for d in sources["disputes"]:
        items.append(people.add(TimelineItem(d.opened_at, "dispute", _("Dispute opened: %(reason)s") % {"reason": d.get_reason_display()},
                                             d.description[:300]), d.opened_by_id))
        if d.resolved_at:
            items.append(people.add(TimelineItem(d.resolved_at, "dispute", _("Dispute %(status)s") % {"status": d.get_status_display().lower()},
                                                 d.verification_note[:300]), d.resolved_by_id))
    sources["holds"] = list(Hold.objects.filter(customer_id=account.customer_id).filter(
        Q(account_id=account.pk) | Q(account__isnull=True)).order_by("-starts_at", "-id")[:TIMELINE_PER_KIND])
    for h in sources["holds"]:
        kind = h.get_kind_display()
        title = (_("Hold: %(kind)s until %(date)s") % {"kind": kind, "date": f"{h.ends_at:%d %b %Y}"}
                 if h.ends_at else _("Hold: %(kind)s") % {"kind": kind})
        items.append(people.add(TimelineItem(h.starts_at, "hold", title,
                                             h.get_status_display()), h.placed_by_id))
    sources["callbacks"] = list(case.callback_requests.order_by("-created_at", "-id")[:TIMELINE_PER_KIND])
    for cb in sources["callbacks"]:
        title = (_("Callback requested for %(when)s") % {"when": f"{timezone.localtime(cb.preferred_at):%d %b %H:%M}"}
                 if cb.preferred_at else _("Callback requested"))
        items.append(people.add(TimelineItem(cb.created_at, "callback", title,
                                             f"{cb.get_status_display()}. {cb.note}"[:300]), cb.created_by_id))
    for n in CaseNote.objects.filter(case_id=case.pk)[:TIMELINE_PER_KIND]:
        items.append(people.add(TimelineItem(n.created_at, "note", _("Note"), n.text), n.author_id))
    for ar in ApprovalRequest.objects.filter(case_id=case.pk).order_by("-requested_at")[:TIMELINE_PER_KIND]:
        items.append(people.add(TimelineItem(ar.requested_at, "approval", _("Asked a supervisor: %(kind)s") % {"kind": ar.get_kind_display()},
                                             f"{ar.get_status_display()}. {ar.note}"[:300]), ar.requested_by_id))
    items += _field_changes(Case, "id", case.pk, _("Case changed"), _("Case created"), people)
    items += _field_changes(type(account), "id", account.pk, _("Account changed"), _("Account created"), people)
    items.sort(key=lambda i: i.at, reverse=True)
    items = items[:limit]
    shown = {id(i) for i in items}
    people.waiting = [(item, user_id) for item, user_id in people.waiting if id(item) in shown]
    people.name_all()
    return items, sources


def _message_model():
    try:
        return apps.get_model("outreach", "Message")
    except LookupError:
        return None


def _messages(case: Case, people: _People) -> list[TimelineItem]:
    Message = _message_model()
    items = []
    rows = Message.objects.filter(account_id=case.account_id).only(
        "created_at", "direction", "channel", "status", "status_reason", "next_allowed_at", "body", "actor_id",
        "call_outcome", "duration_seconds", "notes", "transcript").order_by("-created_at", "-id")[:TIMELINE_PER_KIND]
    for m in rows:
        inbound = m.direction == "inbound"
        if m.channel == "voice":
            outcome = m.get_call_outcome_display() if getattr(m, "call_outcome", "") else m.get_status_display()
            minutes = (m.duration_seconds or 0) // 60 if getattr(m, "duration_seconds", None) else 0
            title = (_("Call from customer: %(outcome)s") if inbound else _("Call: %(outcome)s")) % {
                "outcome": outcome}
            detail = (f"{minutes} min. " if minutes else "") + (getattr(m, "notes", "") or "")
            items.append(people.add(TimelineItem(m.created_at, "call", title, detail[:500], "",
                                                 {"transcript": getattr(m, "transcript", "")[:2000]}), m.actor_id))
        else:
            title = (_("%(channel)s received") % {"channel": m.get_channel_display()} if inbound
                     else f"{m.get_channel_display()} {m.get_status_display().lower()}")
            if m.status == "blocked" and m.next_allowed_at:
                when = f"{timezone.localtime(m.next_allowed_at):%d %b %H:%M}"
                title += " " + _("(next allowed %(when)s)") % {"when": when}
            items.append(people.add(TimelineItem(m.created_at, "message", title, (m.body or "")[:300], "",
                                                 {"reason": m.status_reason}), m.actor_id))
    return items


# ---- the supervisor's overview --------------------------------------------------------------------------


@dataclass
class QueueStat:
    queue: str
    label: str
    open: int
    waiting: int
    unassigned: int
    breached: int
    oldest_due: datetime | None


def queue_stats(*, creditor: str = "", now: datetime | None = None) -> list[QueueStat]:
    """Cases per human queue: open, waiting, unassigned, and past their SLA. One grouped query."""
    now = now or timezone.now()
    qs = Case.objects.filter(queue__in=HUMAN_QUEUES).exclude(status=CaseStatus.CLOSED)
    if creditor:
        qs = qs.filter(creditor__slug=creditor)
    rows = {
        r["queue"]: r for r in qs.values("queue").annotate(
            open=Count("id", filter=Q(status=CaseStatus.OPEN)),
            waiting=Count("id", filter=Q(status=CaseStatus.WAITING)),
            unassigned=Count("id", filter=Q(assignee__isnull=True, status=CaseStatus.OPEN)),
            breached=Count("id", filter=Q(status=CaseStatus.OPEN, sla_due_at__lt=now)),
            oldest_due=Min("sla_due_at", filter=Q(status=CaseStatus.OPEN)),
        )
    }
    return [
        QueueStat(q, str(Queue(q).label), rows.get(q, {}).get("open", 0), rows.get(q, {}).get("waiting", 0),
                  rows.get(q, {}).get("unassigned", 0), rows.get(q, {}).get("breached", 0),
                  rows.get(q, {}).get("oldest_due"))
        for q in HUMAN_QUEUES
    ]


def approvals_pending():
    """Everything waiting for a supervisor: desk requests, plans outside policy, settlements below floor."""
    from payments.choices import PlanStatus, SettlementStatus
    from payments.models import InstalmentPlan, Settlement

    requests = list(ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).select_related(
        "case__account__customer", "requested_by", "dispute")[:100])
    plans = list(InstalmentPlan.objects.filter(status=PlanStatus.PENDING_APPROVAL).select_related(
        "account__customer", "account__case", "proposed_by").order_by("created_at")[:100])
    settlements = list(Settlement.objects.filter(status=SettlementStatus.PENDING_APPROVAL).select_related(
        "account__customer", "account__case", "proposed_by").order_by("id")[:100])
    return {"requests": requests, "plans": plans, "settlements": settlements,
            "count": len(requests) + len(plans) + len(settlements)}


def breached_cases(*, limit: int = 25, now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    return _case_qs().filter(queue__in=HUMAN_QUEUES, status=CaseStatus.OPEN, sla_due_at__lt=now).order_by(
        "sla_due_at", "id")[:limit]
