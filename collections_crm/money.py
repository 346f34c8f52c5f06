"""Money: ``Decimal`` amounts with an ISO 4217 currency, and the one place that converts to and from
minor units (cents, kobo, pence; yen have none). Precision comes from CLDR via Babel, not a hand list."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

# The currencies this product trades in; any ISO code Babel knows is accepted.
SUPPORTED_CURRENCIES = ("NGN", "USD", "GBP", "EUR", "KES", "JPY")
_KNOWN = frozenset(list_currencies())


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


def is_currency(code: str) -> bool:
    return code in _KNOWN


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has (USD 2, JPY 0)."""
    if currency not in _KNOWN:
        raise MoneyError(f"Unknown currency code “{currency}”.")
    return get_currency_precision(currency)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    """Decimal → integer minor units. Refuses amounts finer than the currency allows."""
    q = quantum(currency)
    if amount != amount.quantize(q):
        raise MoneyError(f"{amount} has more decimal places than {currency} allows.")
    return int(amount.scaleb(exponent(currency)))


def from_minor(units: int, currency: str) -> Decimal:
    """Integer minor units → Decimal in major units, at the currency's precision."""
    return Decimal(int(units)).scaleb(-exponent(currency)).quantize(quantum(currency))


def parse_amount(text: str, currency: str) -> Decimal:
    """Parse user or file input ("1,234.50", " 12 ") into a Decimal at the currency's precision."""
    cleaned = (text or "").strip().replace(",", "").replace("_", "")
    if not cleaned:
        raise MoneyError("is empty")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"“{text}” is not a number") from None
    if not value.is_finite():
        raise MoneyError(f"“{text}” is not a number")
    q = quantum(currency)
    if value != value.quantize(q, rounding=ROUND_HALF_UP):
        raise MoneyError(f"“{text}” has more decimal places than {currency} allows")
    return value.quantize(q)


def format_money(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Human display: ₦12,500.00, £40.00, ¥3,000. Pidgin uses Nigerian English conventions."""
    babel_locale = {"pcm": "en_NG", "en": "en", "fr": "fr", "es": "es"}.get(locale, locale)
    return format_currency(amount, currency, locale=babel_locale)
