"""Pure cadence rules (no database): which cadence an account follows, when a step falls due, which
exit applies first. The set-wise SQL in ``selectors.py`` expresses the same rules; the tests check
that both agree on varied data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from .choices import ExitReason, StepAnchor, StepChannel


@dataclass(frozen=True)
class Segment:
    """What a cadence selects: a creditor (None = any), buckets, a balance band, products."""

    cadence_id: int
    priority: int
    creditor_id: int | None
    buckets: tuple[str, ...] = ()
    balance_min: Decimal | None = None
    balance_max: Decimal | None = None
    products: tuple[str, ...] = ()

    def matches(self, *, creditor_id: int, bucket: str, balance: Decimal, product: str) -> bool:
        return (
            (self.creditor_id is None or self.creditor_id == creditor_id)
            and (not self.buckets or bucket in self.buckets)
            and (self.balance_min is None or balance >= self.balance_min)
            and (self.balance_max is None or balance <= self.balance_max)
            and (not self.products or product in self.products)
        )

    @property
    def rank(self) -> tuple:
        """Sort key, best first: priority, then a creditor's own cadence, then the oldest."""
        return (-self.priority, self.creditor_id is None, self.cadence_id)


def cadence_for(segments: Iterable[Segment], *, creditor_id: int, bucket: str, balance: Decimal,
                product: str) -> int | None:
    """The cadence an account follows: the best-ranked active segment that matches it, or None."""
    for seg in sorted(segments, key=lambda s: s.rank):
        if seg.matches(creditor_id=creditor_id, bucket=bucket, balance=balance, product=product):
            return seg.cadence_id
    return None


def due_date_start(day: date) -> datetime:
    """A due date as an instant: its midnight in UTC. The gate then picks the lawful hour."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def step_due_at(*, anchor: str, offset_days: int, placed_at: datetime, due_date: date,
                last_step_at: datetime) -> datetime:
    """When a step falls due. ``last_contact`` counts from the last step done (a message sent or a step
    skipped), so skipping a step never makes the next one fire at once."""
    if anchor == StepAnchor.PLACEMENT:
        base = placed_at
    elif anchor == StepAnchor.DUE_DATE:
        base = due_date_start(due_date)
    else:
        base = last_step_at
    return base + timedelta(days=offset_days)


def resolve_channel(step_channel: str, preferred_channel: str) -> str:
    return preferred_channel if step_channel == StepChannel.PREFERRED else step_channel


# The order exits are checked in; the first that applies is recorded.
EXIT_ORDER = (
    ExitReason.PAID_IN_FULL, ExitReason.ACCOUNT_CLOSED, ExitReason.DISPUTE, ExitReason.HOLD,
    ExitReason.PLAN_ACCEPTED, ExitReason.OPT_OUT, ExitReason.ROUTED_TO_HUMAN, ExitReason.CADENCE_INACTIVE,
)


def first_exit(applies: dict[str, bool]) -> str | None:
    for reason in EXIT_ORDER:
        if applies.get(reason):
            return reason.value
    return None
