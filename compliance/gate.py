"""The contact gate: one pure function that says whether a contact may happen now, why not, and when
it next may. No database: the caller passes a ``GateContext`` snapshot (see
``compliance.selectors.gate_context_for``). Every send path reaches it through
``compliance.services.contact_reserve``.

All instants are compared in UTC; local rules are evaluated in every zone the customer may be in
(cmt 6(b)(1)(i)-2: allowed only if allowed in all of them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .choices import GateReason as R
from .choices import HoldKind, Purpose
from .rules import RuleProfile, Tightening, apply_tightening, zone

_MAX_STEPS = 200  # boundary jumps while looking for the next allowed instant

COLLECTING = (Purpose.COLLECTION.value, Purpose.CAMPAIGN.value)
# Contacts that count towards caps and cooldowns: contacts about the debt (1006.14(b)). Receipts and the
# opt-out confirmation are not collection attempts.
COUNTED_PURPOSES = frozenset(COLLECTING)

_HOLD_REASON = {
    HoldKind.DISPUTE.value: R.HOLD_DISPUTE.value,
    HoldKind.CEASE_COMMUNICATION.value: R.HOLD_CEASE.value,
    HoldKind.ATTORNEY.value: R.HOLD_ATTORNEY.value,
    HoldKind.BANKRUPTCY.value: R.HOLD_BANKRUPTCY.value,
    HoldKind.DECEASED.value: R.HOLD_DECEASED.value,
    HoldKind.HARDSHIP_PAUSE.value: R.HOLD_HARDSHIP.value,
}
_ALL_BUT_CONFIRMATION = frozenset({Purpose.COLLECTION, Purpose.CAMPAIGN, Purpose.TRANSACTIONAL})
# What each hold blocks. A dispute stops collection of the disputed debt until verified (1006.38(c)) but a
# dispute acknowledgement or a receipt may still go; a hardship pause is the creditor's forbearance, so the
# same. Cease communication (1006.6(c)), an attorney (1006.6(b)(2)), bankruptcy and death stop everything
# except the single opt-out confirmation (1006.14(h)(2)(i)).
HOLD_BLOCKS: dict[str, frozenset[str]] = {
    HoldKind.DISPUTE.value: frozenset(COLLECTING),
    HoldKind.HARDSHIP_PAUSE.value: frozenset(COLLECTING),
    HoldKind.CEASE_COMMUNICATION.value: _ALL_BUT_CONFIRMATION,
    HoldKind.ATTORNEY.value: _ALL_BUT_CONFIRMATION,
    HoldKind.BANKRUPTCY.value: _ALL_BUT_CONFIRMATION,
    HoldKind.DECEASED.value: _ALL_BUT_CONFIRMATION,
}


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One counted contact attempt from the history (reserved or sent; not failed or cancelled)."""

    at: datetime
    channel: str
    account_id: int | None
    purpose: str = Purpose.COLLECTION.value
    is_conversation: bool = False


@dataclass(frozen=True, slots=True)
class ConsentState:
    """The latest consent record for one channel."""

    status: str  # "granted" | "revoked"
    at: datetime
    source: str = ""


@dataclass(frozen=True, slots=True)
class HoldSnapshot:
    kind: str
    account_id: int | None  # None: the hold covers every account of the customer
    starts_at: datetime
    ends_at: datetime | None = None


@dataclass(frozen=True)
class Preferences:
    """What the customer asked for (1006.6(b)(1): designated inconvenient times must be honoured)."""

    hours_start: time | None = None
    hours_end: time | None = None
    days: frozenset[int] = frozenset()  # weekdays the customer accepts contact; empty = any
    no_contact_at_work: bool = False
    # House assumption when the customer names none: Monday-Friday 09:00-17:00.
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    work_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class GateContext:
    """Everything the gate needs, loaded once. ``history`` holds counted attempts (any account of the
    customer) and conversations; ``holidays`` are dates of the customer's country/region."""

    profile: RuleProfile
    zones: tuple[str, ...]
    account_id: int | None = None
    tightening: Tightening | None = None
    holidays: frozenset[date] = frozenset()
    preferences: Preferences = field(default_factory=Preferences)
    consents: Mapping[str, ConsentState] = field(default_factory=dict)
    holds: tuple[HoldSnapshot, ...] = ()
    history: tuple[ContactRecord, ...] = ()
    contact_points: frozenset[str] = frozenset()
    account_closed: bool = False

    def __post_init__(self):
        object.__setattr__(self, "effective", apply_tightening(self.profile, self.tightening))
        object.__setattr__(self, "_tz", tuple(zone(z) for z in self.zones))

    @property
    def rule_version(self) -> str:
        return self.effective.label


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...]
    next_allowed_at: datetime | None
    rule_version: str
    zones: tuple[str, ...]
    required_disclosures: tuple[str, ...] = ()


def _in_hours(t: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= t < end
    return t >= start or t < end  # overnight span, e.g. a night-shift worker's 22:00-06:00


def _next_open(local: datetime, start: time, end: time) -> datetime:
    """Earliest local instant >= ``local`` inside the span (which may run past midnight)."""
    t = local.time()
    if _in_hours(t, start, end):
        return local
    if start <= end and t >= end:
        return datetime.combine(local.date() + timedelta(days=1), start, tzinfo=local.tzinfo)
    return datetime.combine(local.date(), start, tzinfo=local.tzinfo)


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC)


def _next_midnight(local: datetime) -> datetime:
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)


def _static_reasons(ctx: GateContext, channel: str, purpose: str) -> list[str]:
    """Reasons that do not depend on the instant: they clear only when a person or a record changes."""
    reasons: list[str] = []
    if channel not in ctx.contact_points:
        reasons.append(R.NO_CONTACT_POINT.value)
    consent = ctx.consents.get(channel)
    revoked = consent is not None and consent.status == "revoked"
    if purpose == Purpose.OPT_OUT_CONFIRMATION:
        # One confirmation after an opt-out, nothing else (12 CFR 1006.14(h)(2)(i); 47 CFR 64.1200(a)(10)).
        already = revoked and any(
            r.channel == channel and r.purpose == purpose and r.at >= consent.at for r in ctx.history
        )
        if not revoked or already:
            reasons.append(R.CONFIRMATION_NOT_DUE.value)
        return reasons
    if revoked:
        reasons.append(R.OPTED_OUT.value)  # 1006.14(h)(1): a medium opt-out is honoured at once
    elif purpose == Purpose.CAMPAIGN or (
        purpose == Purpose.COLLECTION and channel in ctx.effective.consent_channels
    ):
        if consent is None or consent.status != "granted":
            reasons.append(R.NO_CONSENT.value)
    if ctx.account_closed and purpose in COLLECTING:
        reasons.append(R.ACCOUNT_CLOSED.value)
    return reasons


def _timed_reasons(ctx: GateContext, channel: str, purpose: str, t: datetime):
    """Reasons that depend on the instant ``t`` (UTC) and, for each, the earliest instant it could clear
    (None: never by itself)."""
    p = ctx.effective
    out: dict[str, datetime | None] = {}

    def block(reason: str, until: datetime | None):
        if reason in out:
            prev = out[reason]
            out[reason] = None if (prev is None or until is None) else max(prev, until)
        else:
            out[reason] = until

    if purpose == Purpose.OPT_OUT_CONFIRMATION:
        return out
    for h in ctx.holds:
        if h.account_id is not None and h.account_id != ctx.account_id:
            continue
        if purpose in HOLD_BLOCKS[h.kind] and h.starts_at <= t and (h.ends_at is None or t < h.ends_at):
            block(_HOLD_REASON[h.kind], h.ends_at)

    prefs = ctx.preferences
    collecting = purpose in COLLECTING
    for tz in ctx._tz:
        local = t.astimezone(tz)
        lt = local.time()
        if not (p.window_start <= lt < p.window_end):  # 1006.6(b)(1)(i)
            block(R.OUTSIDE_WINDOW.value, _utc(_next_open(local, p.window_start, p.window_end)))
        if collecting and (local.weekday() in p.quiet_weekdays or (p.holidays_quiet and local.date() in ctx.holidays)):
            block(R.QUIET_DAY.value, _utc(_next_midnight(local)))
        if prefs.hours_start is not None and prefs.hours_end is not None and not _in_hours(
            lt, prefs.hours_start, prefs.hours_end
        ):
            block(R.CUSTOMER_HOURS.value, _utc(_next_open(local, prefs.hours_start, prefs.hours_end)))
        if prefs.days and local.weekday() not in prefs.days:
            block(R.CUSTOMER_HOURS.value, _utc(_next_midnight(local)))
        if (
            prefs.no_contact_at_work and channel == "voice" and local.weekday() in prefs.work_days
            and _in_hours(lt, prefs.work_start, prefs.work_end)
        ):  # 1006.6(b)(3)
            block(R.AT_WORK.value, _utc(datetime.combine(local.date(), prefs.work_end, tzinfo=tz)))

    if collecting and ctx.history:
        for cap in p.caps:
            if channel not in cap.channels:
                continue
            # "N within 7 consecutive days": the calendar days ending today, in every zone (the earliest start).
            start = min(
                _utc(datetime.combine(t.astimezone(tz).date() - timedelta(days=cap.days - 1), time(0), tzinfo=tz))
                for tz in ctx._tz
            )
            counted = sorted(
                r.at for r in ctx.history
                if r.at >= start and r.channel in cap.channels and r.purpose in COUNTED_PURPOSES
                and (cap.per == "customer" or r.account_id == ctx.account_id)
            )
            if len(counted) >= cap.limit:
                oldest = counted[len(counted) - cap.limit]  # this one must leave the window
                until = max(
                    _utc(datetime.combine(oldest.astimezone(tz).date() + timedelta(days=cap.days), time(0), tzinfo=tz))
                    for tz in ctx._tz
                )
                block(R.FREQUENCY_CAP.value, until)
        if p.conversation_cooldown_days and channel in p.cooldown_channels:
            for r in ctx.history:
                if r.is_conversation and r.account_id == ctx.account_id and r.at <= t:
                    # Conversation day is day 1 (1006.14(b)(2)(ii)): calls resume on day 8, in every zone.
                    until = max(
                        _utc(datetime.combine(r.at.astimezone(tz).date() + timedelta(days=p.conversation_cooldown_days),
                                              time(0), tzinfo=tz))
                        for tz in ctx._tz
                    )
                    if t < until:
                        block(R.CONVERSATION_COOLDOWN.value, until)
    return out


def check(*, customer=None, account=None, channel: str, at: datetime, purpose: str = Purpose.COLLECTION,
          context: GateContext) -> Decision:
    """Decide one contact. Pure: the same inputs give the same decision. ``customer`` and ``account`` are
    accepted for the caller's clarity; everything the rules read is in ``context``."""
    if at.tzinfo is None:
        raise ValueError("check() needs an aware datetime")
    purpose = str(purpose)
    at = at.astimezone(UTC)
    static = _static_reasons(context, channel, purpose)
    timed = _timed_reasons(context, channel, purpose, at)
    reasons = tuple(static) + tuple(timed)
    disclosures = ("opt_out_notice",) if channel in context.effective.opt_out_notice_channels else ()
    if not reasons:
        return Decision(True, (R.ALLOWED.value,), at, context.rule_version, context.zones, disclosures)
    return Decision(False, reasons, None if static else _next_allowed(context, channel, purpose, at, timed),
                    context.rule_version, context.zones, disclosures)


def _next_allowed(ctx: GateContext, channel: str, purpose: str, at: datetime, timed) -> datetime | None:
    t = at
    for _ in range(_MAX_STEPS):
        if not timed:
            return t
        if any(until is None for until in timed.values()):
            return None
        t = max(timed.values())
        timed = _timed_reasons(ctx, channel, purpose, t)
    return None  # e.g. zones so far apart that no hour is lawful in all of them
