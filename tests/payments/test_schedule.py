"""Pure schedule and allocation arithmetic: property tests, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments import schedule

totals = st.integers(min_value=0, max_value=10**12)
counts = st.integers(min_value=1, max_value=120)


@given(totals, counts)
def test_split_even_sums_exactly_and_differs_by_at_most_one_unit(total, count):
    parts = schedule.split_even(total, count)
    assert sum(parts) == total
    assert len(parts) == count
    assert max(parts) - min(parts) <= 1


@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=3, max_value=24), st.data())
def test_step_up_sums_exactly(total, count, data):
    first_count = data.draw(st.integers(min_value=1, max_value=count - 1))
    first_amount = data.draw(st.integers(min_value=1, max_value=max(1, total // (count * 2))))
    parts = schedule.step_up(total, count, first_amount=first_amount, first_count=first_count)
    assert sum(parts) == total
    assert parts[:first_count] == [first_amount] * first_count


@given(
    amount=st.integers(min_value=0, max_value=10**10),
    balance=st.integers(min_value=0, max_value=10**10),
    outstanding=st.lists(st.integers(min_value=0, max_value=10**8), max_size=24),
)
def test_allocation_never_creates_or_loses_a_unit(amount, balance, outstanding):
    result = schedule.allocate(amount, balance=balance, open_items=list(enumerate(outstanding)))
    assert result.to_account + result.credit == amount
    assert result.to_account <= balance
    assert sum(units for _k, units in result.per_item) <= result.to_account
    keys = [k for k, _u in result.per_item]
    assert keys == sorted(keys)  # oldest first
    for key, units in result.per_item:
        assert 0 < units <= outstanding[key]
    # Only the last instalment touched may be part-paid: earlier ones are fully paid first.
    for key, units in result.per_item[:-1]:
        assert units == outstanding[key]


@given(
    allocations=st.lists(st.integers(min_value=1, max_value=10**8), max_size=12),
    credit=st.integers(min_value=0, max_value=10**8),
    data=st.data(),
)
def test_reversal_takes_credit_first_and_never_more_than_held(allocations, credit, data):
    held = credit + sum(allocations)
    amount = data.draw(st.integers(min_value=0, max_value=held))
    result = schedule.reverse(amount, credit=credit, allocations=list(enumerate(allocations)))
    assert result.from_credit + sum(u for _k, u in result.per_allocation) == amount
    assert result.from_credit == min(amount, credit)
    with pytest.raises(ValueError):
        schedule.reverse(held + 1, credit=credit, allocations=list(enumerate(allocations)))


def test_monthly_dates_clamp_to_month_end():
    assert schedule.due_dates(date(2027, 1, 31), 3, "monthly") == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    assert schedule.due_dates(date(2027, 1, 1), 2, "fortnightly")[1] == date(2027, 1, 15)


RULES = schedule.PlanRules(min_instalment=500, max_term_days=93, frequencies=("monthly", "custom"), max_deferral=0)
TODAY = date(2027, 3, 1)


def test_check_schedule_gives_plain_reasons():
    ok = schedule.check_schedule(total=3000, items=[(TODAY, 1000), (TODAY + timedelta(30), 1000),
                                                    (TODAY + timedelta(60), 1000)],
                                 rules=RULES, frequency="monthly", today=TODAY, balance=3000)
    assert ok.ok
    bad = schedule.check_schedule(total=3000, items=[(TODAY - timedelta(1), 100), (TODAY + timedelta(200), 2000)],
                                  rules=RULES, frequency="weekly", today=TODAY, balance=3000)
    assert "The instalments do not add up to the plan total." in bad.reasons
    assert "The first payment date is in the past." in bad.reasons
    assert "This creditor does not offer weekly plans." in bad.reasons
    assert "The plan runs longer than this creditor allows." in bad.reasons
    assert "Some instalments are below the smallest amount this creditor accepts." in bad.reasons
