"""Money helpers: minor units per currency, parsing, never a float."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_crm import money


@pytest.mark.parametrize(
    "currency, amount, minor", [("NGN", "1250.50", 125050), ("USD", "0.01", 1), ("JPY", "3000", 3000), ("GBP", "12", 1200)]
)
def test_to_and_from_minor(currency, amount, minor):
    assert money.to_minor(Decimal(amount), currency) == minor
    assert money.from_minor(minor, currency) == Decimal(amount)


def test_too_precise_amount_refused():
    with pytest.raises(money.MoneyError):
        money.to_minor(Decimal("10.5"), "JPY")
    with pytest.raises(money.MoneyError):
        money.parse_amount("1.005", "USD")


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1e400x"])
def test_parse_amount_refuses_non_numbers(text):
    with pytest.raises(money.MoneyError):
        money.parse_amount(text, "NGN")


def test_parse_amount_accepts_grouping():
    assert money.parse_amount(" 1,234.5 ", "NGN") == Decimal("1234.50")


def test_unknown_currency():
    with pytest.raises(money.MoneyError):
        money.exponent("XXY")


@given(units=st.integers(min_value=-(10**12), max_value=10**12), currency=st.sampled_from(money.SUPPORTED_CURRENCIES))
def test_minor_round_trip(units, currency):
    assert money.to_minor(money.from_minor(units, currency), currency) == units
