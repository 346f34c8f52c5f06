"""Pure schedule and allocation arithmetic, in integer minor units (no ORM, no floats).

Everything here works on ``int`` minor units so that a schedule always sums to its total exactly and an
allocation never creates or loses a unit; callers convert with ``collections_crm.money``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
CUSTOM = "custom"
FREQUENCIES = (WEEKLY, FORTNIGHTLY, MONTHLY, CUSTOM)


def split_even(total: int, count: int) -> list[int]:
    """``count`` instalments as equal as possible; the spare units go to the earliest ones."""
    if count <= 0:
        raise ValueError("count must be positive")
    if total < 0:
        raise ValueError("total must not be negative")
    base, spare = divmod(total, count)
    return [base + (1 if i < spare else 0) for i in range(count)]


def step_up(total: int, count: int, *, first_amount: int, first_count: int) -> list[int]:
    """Start small then step up: ``first_count`` instalments of ``first_amount``, the rest shared evenly."""
    if not 0 < first_count < count:
        raise ValueError("first_count must be between 1 and count - 1")
    rest = total - first_amount * first_count
    if first_amount <= 0 or rest <= 0:
        raise ValueError("the small instalments must leave something for the rest")
    return [first_amount] * first_count + split_even(rest, count - first_count)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(start: date, count: int, frequency: str) -> list[date]:
    """The due dates of ``count`` instalments from ``start`` at the given frequency."""
    if frequency == WEEKLY:
        return [start + timedelta(weeks=i) for i in range(count)]
    if frequency == FORTNIGHTLY:
        return [start + timedelta(weeks=2 * i) for i in range(count)]
    if frequency == MONTHLY:
        return [add_months(start, i) for i in range(count)]
    raise ValueError(f"no generated dates for frequency {frequency!r}")


@dataclass(frozen=True)
class PlanRules:
    """The creditor policy a proposed schedule is checked against (amounts in minor units)."""

    min_instalment: int
    max_term_days: int
    frequencies: tuple[str, ...] = (WEEKLY, FORTNIGHTLY, MONTHLY, CUSTOM)
    max_deferral: int = 0  # how much of the balance may be left out of the plan


@dataclass
class ScheduleCheck:
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


def check_schedule(
    *, total: int, items: list[tuple[date, int]], rules: PlanRules, frequency: str, today: date,
    balance: int, deferred: int = 0,
) -> ScheduleCheck:
    """Plain-words reasons why a schedule is not within policy (empty when it is).

    ``total`` is what the plan covers; ``deferred`` is the part of the balance left for later."""
    check = ScheduleCheck()
    say = check.reasons.append
    if not items:
        say("A plan needs at least one instalment.")
        return check
    if frequency not in rules.frequencies:
        say(f"This creditor does not offer {frequency} plans.")
    amounts = [amount for _day, amount in items]
    if sum(amounts) != total:
        say("The instalments do not add up to the plan total.")
    if total + deferred != balance:
        say("The instalments do not add up to the balance (less any part set aside for later).")
    if deferred < 0 or deferred > rules.max_deferral:
        say("That is more than this creditor allows to be deferred.")
    if any(amount <= 0 for amount in amounts):
        say("Every instalment must be more than zero.")
    small = [a for a in amounts[:-1] if a < rules.min_instalment]
    # The last instalment may be smaller: it is only what is left.
    if small:
        say("Some instalments are below the smallest amount this creditor accepts.")
    days = [day for day, _amount in items]
    if days[0] < today:
        say("The first payment date is in the past.")
    if any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
        say("Payment dates must be in order, one per date.")
    if (days[-1] - today).days > rules.max_term_days:
        say("The plan runs longer than this creditor allows.")
    return check


@dataclass(frozen=True)
class Allocation:
    """How one payment lands: ``per_item`` to open instalments (oldest first), ``to_account`` in total
    (always ≥ the instalment part), ``credit`` the overpayment beyond the balance."""

    to_account: int
    per_item: list[tuple[object, int]]
    credit: int


def allocate(amount: int, *, balance: int, open_items: list[tuple[object, int]]) -> Allocation:
    """Apply ``amount`` to the account (never beyond ``balance``) and, within that, to ``open_items``
    ``(key, outstanding)`` oldest first. Nothing is created or lost: to_account + credit == amount."""
    if amount < 0 or balance < 0:
        raise ValueError("amounts must not be negative")
    to_account = min(amount, balance)
    left = to_account
    per_item: list[tuple[object, int]] = []
    for key, outstanding in open_items:
        if left <= 0:
            break
        take = min(left, max(outstanding, 0))
        if take:
            per_item.append((key, take))
            left -= take
    return Allocation(to_account=to_account, per_item=per_item, credit=amount - to_account)


@dataclass(frozen=True)
class Reversal:
    """How a refund or chargeback unwinds a payment: the credit first, then allocations newest first."""

    from_credit: int
    per_allocation: list[tuple[object, int]]


def reverse(amount: int, *, credit: int, allocations: list[tuple[object, int]]) -> Reversal:
    """Unwind ``amount`` of a payment: first from its unreturned ``credit``, then from ``allocations``
    ``(key, amount)`` in the order given (newest first). Raises if more is asked than was paid."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount > credit + sum(a for _k, a in allocations):
        raise ValueError("cannot reverse more than the payment still holds")
    from_credit = min(amount, credit)
    left = amount - from_credit
    taken: list[tuple[object, int]] = []
    for key, allocated in allocations:
        if left <= 0:
            break
        take = min(left, allocated)
        if take:
            taken.append((key, take))
            left -= take
    return Reversal(from_credit=from_credit, per_allocation=taken)
