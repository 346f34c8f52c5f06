"""Writes for cadences: define them, enrol cases (set-wise, on placement and by command), and move
enrolments along — exits and skipped steps set-wise for the tick, one enrolment at a time after a send.

Every change to an enrolment has a history row attributed to the actor (the system user for the tick)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as Cases
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.choices import AccountStatus, CaseStatus, Queue
from accounts.models import Account, Case
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .bulk import history_where, ids_in, insert_select, update_with_history
from .choices import EnrolmentStatus, ExitReason, StepAnchor
from .defaults import DEFAULT_CADENCES, STEP_FIELDS
from .models import Cadence, CadenceDelivery, CadenceDispatch, CadenceEnrolment, CadenceStep
from .rules import step_due_at
from .selectors import due_enrolments, step_due_expression

ENROL_COLUMNS = ("case", "account", "cadence", "step", "status", "exit_reason", "next_due_at", "enrolled_at",
                 "last_step_at", "steps_sent", "steps_skipped")


# ---- defining cadences -----------------------------------------------------------------------------

@transaction.atomic
def cadence_create(*, actor, name: str, slug: str, steps: Iterable[dict], creditor=None, buckets=(),
                   balance_min=None, balance_max=None, products=(), priority: int = 0, description: str = "",
                   is_active: bool = True) -> Cadence:
    """Create a cadence with its ordered steps (``steps``: dicts of CadenceStep fields, in order)."""
    cadence = save_tracked(Cadence(
        name=name, slug=slug, description=description, creditor=creditor, buckets=list(buckets),
        balance_min=balance_min, balance_max=balance_max, products=list(products), priority=priority,
        is_active=is_active, created_by=actor,
    ), actor=actor, reason="Cadence created")
    steps = list(steps)
    if not steps:
        raise ApplicationError("A cadence needs at least one step.")
    for order, fields in enumerate(steps, start=1):
        save_tracked(CadenceStep(cadence=cadence, order=order, **fields), actor=actor, reason="Cadence created")
    audit_record(actor=actor, action="cadence.created", obj=cadence, creditor=creditor,
                 payload={"slug": slug, "steps": len(steps), "priority": priority})
    return cadence


@transaction.atomic
def cadence_set_active(*, cadence: Cadence, active: bool, actor) -> Cadence:
    """Switch a cadence on or off. Its active enrolments leave at their next due step (``cadence_inactive``)."""
    cadence.is_active = active
    save_tracked(cadence, actor=actor, reason="Cadence switched on" if active else "Cadence switched off")
    audit_record(actor=actor, action="cadence.activated" if active else "cadence.deactivated", obj=cadence,
                 creditor=cadence.creditor)
    return cadence


def cadence_defaults_load(*, actor) -> dict:
    """Create the shipped default cadences that are missing (by slug). Never overwrites."""
    created = skipped = 0
    for spec in DEFAULT_CADENCES:
        if Cadence.objects.filter(slug=spec["slug"]).exists():
            skipped += 1
            continue
        cadence_create(
            actor=actor, name=spec["name"], slug=spec["slug"], description=spec["description"],
            priority=spec["priority"], buckets=spec["buckets"],
            steps=[dict(zip(STEP_FIELDS, step, strict=True)) for step in spec["steps"]],
        )
        created += 1
    return {"created": created, "skipped": skipped}


# ---- enrolment -------------------------------------------------------------------------------------

def _segment_q(cadence: Cadence) -> Q:
    q = Q()
    if cadence.creditor_id:
        q &= Q(account__creditor_id=cadence.creditor_id)
    if cadence.buckets:
        q &= Q(account__delinquency_bucket__in=cadence.buckets)
    if cadence.balance_min is not None:
        q &= Q(account__balance__gte=cadence.balance_min)
    if cadence.balance_max is not None:
        q &= Q(account__balance__lte=cadence.balance_max)
    if cadence.products:
        q &= Q(account__product__in=cadence.products)
    return q


def enrollable_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases a cadence may take on: open, in the automated queue, account not closed, never enrolled
    before (a case that left a cadence is not put back by a bulk run; a person re-enrols it)."""
    return cases.filter(queue=Queue.AUTOMATED).exclude(status=CaseStatus.CLOSED).exclude(
        account__status__in=AccountStatus.closed_states()
    ).exclude(Exists(CadenceEnrolment.objects.filter(case_id=OuterRef("pk"))))


def ranked_cadences() -> list[Cadence]:
    """Active cadences with at least one step, best first (rules.Segment.rank)."""
    cadences = [c for c in Cadence.objects.filter(is_active=True).prefetch_related("steps") if c.steps.all()]
    return sorted(cadences, key=lambda c: (-c.priority, c.creditor_id is None, c.pk))


def cadence_enrol_cases(*, cases: QuerySet[Case], actor, at: datetime | None = None,
                        cadences: list[Cadence] | None = None) -> Counter:
    """Enrol every enrollable case of ``cases`` in the best-ranked active cadence whose segment matches
    its account: one ``INSERT … SELECT`` per cadence (best first, so each case lands once) and one
    history copy per cadence. Runs in the caller's transaction. Returns counts per cadence slug."""
    at = at or timezone.now()
    counts: Counter = Counter()
    for cadence in cadences if cadences is not None else ranked_cadences():
        first = cadence.steps.all()[0]
        chosen = enrollable_cases(cases).filter(_segment_q(cadence)).order_by()
        select = chosen.annotate(
            _case=F("pk"), _account=F("account_id"), _cadence=Value(cadence.pk), _step=Value(first.pk),
            _status=Value(EnrolmentStatus.ACTIVE.value), _exit=Value(""),
            _due=step_due_expression(first, account="account", last_step_at=at),
            _enrolled=Value(at), _last=Value(at), _sent=Value(0), _skipped=Value(0),
        ).values("_case", "_account", "_cadence", "_step", "_status", "_exit", "_due", "_enrolled", "_last",
                 "_sent", "_skipped")
        with transaction.atomic():
            inserted = insert_select(CadenceEnrolment, columns=ENROL_COLUMNS, queryset=select)
            if inserted:
                history_where(CadenceEnrolment, where="cadence_id = %s AND enrolled_at = %s AND status = %s",
                              params=[cadence.pk, _db_time(at), EnrolmentStatus.ACTIVE],
                              history_type="+", actor_id=actor.pk, reason="Enrolled", at=at)
        if inserted:
            counts[cadence.slug] += inserted
    return counts


def _db_time(at: datetime):
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(at)


def cadence_enrol_accounts(*, account_ids: list[int], actor, at: datetime | None = None) -> Counter:
    """Enrol the cases of freshly placed accounts (the placement import's hook), in the caller's transaction."""
    if not account_ids:
        return Counter()
    return cadence_enrol_cases(cases=Case.objects.filter(ids_in("account_id", account_ids)), actor=actor, at=at)


@transaction.atomic
def enrolment_create(*, case: Case, cadence: Cadence, actor, at: datetime | None = None) -> CadenceEnrolment:
    """Enrol one case by hand (a person's decision): leaves any active enrolment first."""
    at = at or timezone.now()
    if not cadence.is_active:
        raise ApplicationError(f"{cadence.name} is switched off.")
    first = cadence.steps.order_by("order").first()
    if first is None:
        raise ApplicationError(f"{cadence.name} has no steps.")
    current = CadenceEnrolment.objects.select_for_update().filter(case=case, status=EnrolmentStatus.ACTIVE).first()
    if current is not None:
        enrolment_exit(enrolment=current, reason=ExitReason.REENROLLED, actor=actor, at=at)
    account = case.account
    enrolment = CadenceEnrolment(
        case=case, account=account, cadence=cadence, step=first, enrolled_at=at, last_step_at=at,
        next_due_at=step_due_at(anchor=first.anchor, offset_days=first.offset_days, placed_at=account.placed_at,
                                due_date=account.due_date, last_step_at=at),
    )
    save_tracked(enrolment, actor=actor, reason="Enrolled")
    audit_record(actor=actor, action="cadence.enrolled", obj=enrolment, account=account,
                 payload={"cadence": cadence.slug})
    return enrolment


# ---- moving along ----------------------------------------------------------------------------------

def next_step(step: CadenceStep) -> CadenceStep | None:
    return CadenceStep.objects.filter(cadence_id=step.cadence_id, order__gt=step.order).order_by("order").first()


@transaction.atomic
def enrolment_exit(*, enrolment: CadenceEnrolment, reason: str, actor, at: datetime | None = None) -> CadenceEnrolment:
    """End one enrolment with a recorded reason."""
    at = at or timezone.now()
    enrolment.status, enrolment.exit_reason = EnrolmentStatus.EXITED, reason
    enrolment.step, enrolment.next_due_at, enrolment.ended_at = None, None, at
    save_tracked(enrolment, actor=actor, reason=f"Left the cadence: {reason}")
    audit_record(actor=actor, action="cadence.exited", obj=enrolment, account=enrolment.account,
                 payload={"reason": reason, "cadence": enrolment.cadence_id})
    return enrolment


@transaction.atomic
def enrolment_advance(*, enrolment: CadenceEnrolment, actor, at: datetime | None = None, sent: bool = True
                      ) -> CadenceEnrolment:
    """The current step is done (``sent``, or skipped): move to the next step, or complete."""
    at = at or timezone.now()
    following = next_step(enrolment.step)
    enrolment.last_step_at = at
    if sent:
        enrolment.last_contact_at = at
        enrolment.steps_sent += 1
    else:
        enrolment.steps_skipped += 1
    if following is None:
        enrolment.status, enrolment.step, enrolment.next_due_at, enrolment.ended_at = (
            EnrolmentStatus.COMPLETED, None, None, at)
    else:
        account = enrolment.account
        enrolment.step = following
        enrolment.next_due_at = step_due_at(
            anchor=following.anchor, offset_days=following.offset_days, placed_at=account.placed_at,
            due_date=account.due_date, last_step_at=at)
    save_tracked(enrolment, actor=actor, reason="Step sent" if sent else "Step skipped")
    return enrolment


@transaction.atomic
def enrolment_reschedule(*, enrolment: CadenceEnrolment, due_at: datetime, actor, why: str) -> CadenceEnrolment:
    """The gate said not now: try the same step again at ``due_at`` (the gate's next allowed moment)."""
    enrolment.next_due_at = due_at
    save_tracked(enrolment, actor=actor, reason=f"Rescheduled: {why}"[:100])
    return enrolment


# ---- the tick --------------------------------------------------------------------------------------

@dataclass
class TickResult:
    """What one tick did: exits per reason, skipped steps, and the enrolments handed to send batches."""

    at: datetime
    exited: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    dispatched: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(), "exited": dict(self.exited), "skipped": dict(self.skipped),
                "dispatched": len(self.dispatched)}


def _next_due_value(step: CadenceStep, *, at: datetime):
    """``next_due_at`` for an UPDATE of enrolments moving to ``step``: a constant, or a subquery on the
    account for steps anchored on placement or the due date (an UPDATE cannot join)."""
    if step.anchor == StepAnchor.LAST_CONTACT:
        return Value(at + timedelta(days=step.offset_days))
    due = step_due_expression(step, account="", last_step_at=at)
    return Subquery(Account.objects.filter(pk=OuterRef("account_id")).annotate(_due=due).values("_due")[:1])


def _staged(sql: str, params=()):
    """Enrolment ids from the tick's staging table, as a subquery."""
    return RawSQL(f"SELECT id FROM {STAGE} WHERE {sql}", list(params))  # noqa: S608, S611 (constant SQL, params bound)


def _stage_values(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {sql}", list(params))  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def cadence_tick_select(*, actor, at: datetime | None = None, lease: timedelta | None = None) -> TickResult:
    """The set-wise half of the tick, in one transaction: classify every due enrolment once (the
    ``tick_selection`` querysets, materialised into a temporary staging table: exit reason, step
    conditions, channel), record exits, skip steps whose conditions fail, then lease the due steps the
    gate's set-wise form allows now (compliance.selectors.contactable_accounts, per channel) and return
    their ids for the send batches. Due steps the gate does not allow now stay due for the next tick; the
    per-candidate gate check in the batch (message_queue) reschedules any it blocks to the gate's next
    allowed moment. No Python loop over enrolments: a fixed handful of statements whatever the portfolio."""
    from compliance.selectors import contactable_accounts

    at = at or timezone.now()
    lease = lease or timedelta(seconds=getattr(settings, "CADENCE_DISPATCH_LEASE_SECONDS", 900))
    result = TickResult(at=at)
    with transaction.atomic():
        CadenceDispatch.objects.filter(until__lte=at).delete()  # lapsed leases
        _stage_create(at=at)
        try:
            # Exits: one UPDATE per reason present, history copied by this tick's marker.
            for reason in _stage_values(f"exit_code FROM {STAGE} WHERE exit_code <> ''"):
                result.exited[reason] += update_with_history(
                    CadenceEnrolment, queryset=CadenceEnrolment.objects.filter(pk__in=_staged("exit_code = %s", [reason])),
                    values={"status": EnrolmentStatus.EXITED, "exit_reason": reason, "step": None,
                            "next_due_at": None, "ended_at": at},
                    marker="status = %s AND exit_reason = %s AND ended_at = %s",
                    marker_params=[EnrolmentStatus.EXITED, reason, _db_time(at)],
                    actor_id=actor.pk, reason=f"Left the cadence: {reason}", at=at,
                )
            # Skipped steps: one UPDATE per step moving on, one for those finishing their cadence.
            common = {"last_step_at": at, "steps_skipped": F("steps_skipped") + 1}
            finishing = []
            for step in CadenceStep.objects.filter(
                    pk__in=_stage_values(f"step_id FROM {STAGE} WHERE exit_code = '' AND skip = %s", [True])):
                following = next_step(step)
                if following is None:
                    finishing.append(step.pk)
                    continue
                result.skipped["skipped"] += update_with_history(
                    CadenceEnrolment,
                    queryset=CadenceEnrolment.objects.filter(pk__in=_staged("exit_code = '' AND skip = %s AND step_id = %s",
                                                                            [True, step.pk])),
                    values={**common, "step": following, "next_due_at": _next_due_value(following, at=at)},
                    marker="step_id = %s AND last_step_at = %s", marker_params=[following.pk, _db_time(at)],
                    actor_id=actor.pk, reason="Step skipped", at=at,
                )
            if finishing:
                result.skipped["completed"] += update_with_history(
                    CadenceEnrolment,
                    queryset=CadenceEnrolment.objects.filter(step_id__in=finishing, pk__in=_staged(
                        "exit_code = '' AND skip = %s", [True])),
                    values={**common, "status": EnrolmentStatus.COMPLETED, "step": None, "next_due_at": None,
                            "ended_at": at},
                    marker="status = %s AND ended_at = %s AND last_step_at = %s AND exit_reason = ''",
                    marker_params=[EnrolmentStatus.COMPLETED, _db_time(at), _db_time(at)],
                    actor_id=actor.pk, reason="Step skipped; cadence complete", at=at,
                )
            # Sends: per channel, the staged enrolments whose account the gate's set-wise form allows now.
            # Read with a SELECT (PostgreSQL runs it in parallel; the same filter inside an UPDATE would
            # run serially), then leased with one UPDATE by id.
            for channel in _stage_values(f"channel FROM {STAGE} WHERE exit_code = '' AND skip = %s", [False]):
                accounts = Account.objects.filter(pk__in=RawSQL(  # noqa: S611 (constant SQL, params bound)
                    f"SELECT account_id FROM {STAGE} WHERE exit_code = '' AND skip = %s AND channel = %s",  # noqa: S608
                    [False, channel]))
                allowed = contactable_accounts(queryset=accounts, channel=channel, at=at).values("pk")
                result.dispatched += list(CadenceEnrolment.objects.filter(
                    pk__in=_staged("exit_code = '' AND skip = %s AND channel = %s", [False, channel]),
                    account_id__in=allowed).values_list("pk", flat=True))
            result.dispatched.sort()
            _lease(result.dispatched, until=at + lease)
            if result.exited or result.skipped or result.dispatched:
                audit_record(actor=actor, action="cadence.tick", object_type="cadence_tick",
                             object_id=at.isoformat(), payload=result.as_dict())
        finally:
            _stage_drop()
    return result


def _lease(ids: list[int], *, until: datetime) -> None:
    """Lease enrolments to send batches: one INSERT (an array parameter on PostgreSQL)."""
    if not ids:
        return
    if connection.vendor == "postgresql":
        table = CadenceDispatch._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (enrolment_id, until) SELECT unnest(%s::bigint[]), %s "  # noqa: S608
                "ON CONFLICT (enrolment_id) DO UPDATE SET until = EXCLUDED.until", [ids, until])
        return
    CadenceDispatch.objects.bulk_create([CadenceDispatch(enrolment_id=pk, until=until) for pk in ids],
                                        batch_size=500, update_conflicts=True, unique_fields=["enrolment"],
                                        update_fields=["until"])


STAGE = "cadence_tick_stage"


def _stage_create(*, at: datetime) -> None:
    """Materialise the due enrolments with their verdict columns (from ``tick_selection``'s expressions)
    into a temporary table, so each is computed once per tick, not once per statement."""
    from .selectors import step_conditions_fail, with_exit

    _stage_drop()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (id bigint PRIMARY KEY, account_id bigint NOT NULL, "
                       "step_id bigint NOT NULL, channel varchar(10) NOT NULL, exit_code varchar(20) NOT NULL, "
                       "skip boolean NOT NULL)")
        qs = with_exit(due_enrolments(at=at), at=at).annotate(
            _skip=Cases(When(step_conditions_fail(), then=Value(True)), default=Value(False),
                       output_field=BooleanField()),
        ).order_by("next_due_at", "pk").values("pk", "account_id", "step_id", "_channel", "_exit", "_skip")
        # A per-tick cap, oldest due first: a portfolio falling due all at once is worked through over a few
        # ticks instead of one long one (the rest stays due for the next tick, five minutes later).
        qs = qs[:int(getattr(settings, "CADENCE_TICK_LIMIT", 150_000))]
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"INSERT INTO {STAGE} (id, account_id, step_id, channel, exit_code, skip) {sql}", params)  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGE}")  # a temporary table has no statistics until asked


def _stage_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def step_idempotency_key(enrolment: CadenceEnrolment) -> str:
    """One message per (enrolment, step, due moment): a tick or batch running twice sends nothing twice."""
    return f"cadence:{enrolment.pk}:{enrolment.step_id}:{enrolment.next_due_at:%Y%m%dT%H%M%S%f}"


_HOLD_EXITS = {"hold:dispute": ExitReason.DISPUTE}


def _exit_for_block(reasons: list[str]) -> str | None:
    """A block that will not lift by waiting ends the enrolment (the set-wise exits catch most first)."""
    for reason in reasons:
        if reason == "opted_out":
            return ExitReason.OPT_OUT
        if reason.startswith("hold:"):
            return _HOLD_EXITS.get(reason, ExitReason.HOLD)
        if reason == "account_closed":
            return ExitReason.ACCOUNT_CLOSED
    return None


def _step_plan(enrolment: CadenceEnrolment, *, actor, at: datetime):
    """Re-check one locked enrolment: (outcome, None) when it is settled without a message (waiting,
    exited, skipped), else (None, (channel, the QueueItem for its due step))."""
    from outreach.services.messages import QueueItem

    from .selectors import enrolment_verdict

    verdict, detail = enrolment_verdict(enrolment, at=at)
    if verdict == "wait":
        return "waiting", None
    if verdict == "exit":
        enrolment_exit(enrolment=enrolment, reason=detail, actor=actor, at=at)
        return "exited", None
    if verdict == "skip":
        enrolment_advance(enrolment=enrolment, actor=actor, at=at, sent=False)
        return "skipped", None
    item = QueueItem(customer=enrolment.account.customer, account=enrolment.account, channel=detail,
                     purpose=enrolment.step.purpose, case=enrolment.case,
                     idempotency_key=step_idempotency_key(enrolment))
    return None, (detail, item)


def _step_settle(enrolment: CadenceEnrolment, *, channel: str, result, actor, at: datetime) -> str:
    """Record what queueing the step's message came to and move the enrolment along."""
    step = enrolment.step
    if isinstance(result, ApplicationError):
        # No template for this channel and language, WhatsApp outside its window, ...: waiting will not help.
        CadenceDelivery.objects.create(enrolment=enrolment, step=step, channel=channel, outcome="skipped",
                                       reason=str(result)[:200], at=at)
        enrolment_advance(enrolment=enrolment, actor=actor, at=at, sent=False)
        return "skipped"
    message = result
    if message.status == "blocked":
        reasons = list(getattr(message.gate_decision, "reasons", None) or [])
        CadenceDelivery.objects.create(enrolment=enrolment, step=step, message=message, channel=channel,
                                       outcome="blocked", reason=",".join(reasons)[:200], at=at)
        if message.next_allowed_at:
            enrolment_reschedule(enrolment=enrolment, due_at=message.next_allowed_at, actor=actor,
                                 why=",".join(reasons) or "blocked")
            return "rescheduled"
        exit_reason = _exit_for_block(reasons)
        if exit_reason:
            enrolment_exit(enrolment=enrolment, reason=exit_reason, actor=actor, at=at)
            return "exited"
        enrolment_advance(enrolment=enrolment, actor=actor, at=at, sent=False)
        return "blocked"
    CadenceDelivery.objects.create(enrolment=enrolment, step=step, message=message, channel=channel,
                                   outcome="sent", at=at)
    enrolment_advance(enrolment=enrolment, actor=actor, at=at, sent=True)
    return "sent"


def _locked_enrolments(ids):
    return list(CadenceEnrolment.objects.select_for_update(of=("self",))
                .select_related("account__customer", "account__creditor", "case", "step", "cadence")
                .filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def cadence_step_send(*, enrolment_id: int, actor, at: datetime | None = None) -> str:
    """Send one leased enrolment's due step through ``message_queue`` (the gate decides), then move the
    enrolment along. Re-fetches and locks the enrolment and re-checks it first (the world may have
    changed since the tick). Returns what happened: sent, blocked, rescheduled, skipped, exited, waiting."""
    return cadence_steps_send(enrolment_ids=[enrolment_id], actor=actor, at=at)[enrolment_id]


@transaction.atomic
def cadence_steps_send(*, enrolment_ids: list[int], actor, at: datetime | None = None) -> dict[int, str]:
    """``cadence_step_send`` for a batch of leased enrolments in one transaction: each is locked and
    re-checked the same way, and the due steps' messages are queued together (``message_queue_many``:
    one gate call, bulk writes, one send task per chunk). Returns each enrolment's outcome."""
    from outreach.services.messages import message_queue_many

    at = at or timezone.now()
    enrolments = _locked_enrolments(enrolment_ids)
    outcomes = {pk: "missing" for pk in enrolment_ids}
    CadenceDispatch.objects.filter(enrolment_id__in=[e.pk for e in enrolments]).delete()  # the leases are done
    sending = []
    for enrolment in enrolments:
        outcome, plan = _step_plan(enrolment, actor=actor, at=at)
        if plan is None:
            outcomes[enrolment.pk] = outcome
        else:
            sending.append((enrolment, *plan))
    if sending:
        results = message_queue_many(items=[item for _e, _c, item in sending], actor=actor, source="cadence", at=at)
        for (enrolment, channel, _item), result in zip(sending, results, strict=True):
            outcomes[enrolment.pk] = _step_settle(enrolment, channel=channel, result=result, actor=actor, at=at)
    return outcomes
