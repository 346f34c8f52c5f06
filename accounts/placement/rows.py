"""The placement file's columns and the validation of one row. Pure: no ORM, no settings, so it is
fast and tested on its own. Every problem is reported as a ``RowError`` (line, column, value, reason)
in plain words; a row with any error is rejected whole.

Formats (see docs/placement-format.md): dates are ISO ``YYYY-MM-DD``; amounts are plain decimals in
major units ("1234.50", thousands commas allowed) at the currency's precision and never negative;
phone numbers are read with the creditor's default region and stored in E.164.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from collections_crm import money

from ..choices import Channel, DelinquencyBucket, Language
from . import zones
from .phones import phone_read

# column → (required, max length or None, what it is). Order is the documented order.
CUSTOMER_COLUMNS = {
    "customer_ref": (True, 64, "The creditor's id for the person"),
    "first_name": (True, 80, "First name"),
    "last_name": (False, 80, "Last name"),
    "date_of_birth": (False, None, "YYYY-MM-DD"),
    "email": (False, 254, "Email address"),
    "phone": (False, 32, "Phone number, international or national"),
    "address_line": (False, 200, "Street address"),
    "city": (False, 80, "Town or city"),
    "postal_code": (False, 16, "Postal code"),
    "region": (False, 10, "State or region code, e.g. LA or TX"),
    "country": (False, 2, "ISO 3166-1 alpha-2, e.g. NG"),
    "time_zone": (False, 64, "IANA zone, e.g. Africa/Lagos"),
    "preferred_channel": (False, 10, "sms, email, whatsapp or voice"),
    "language": (False, 5, "en, pcm, fr or es"),
    "customer_since": (False, None, "YYYY-MM-DD"),
}
ACCOUNT_COLUMNS = {
    "account_reference": (True, 64, "The creditor's account reference"),
    "product": (False, 80, "What the debt is for"),
    "currency": (False, 3, "ISO 4217 code; the creditor's currency when empty"),
    "principal": (True, None, "Amount"),
    "interest": (False, None, "Amount, 0 when empty"),
    "fees": (False, None, "Amount, 0 when empty"),
    "credits": (False, None, "Amount credited before placement, 0 when empty"),
    "balance": (False, None, "Amount still owed; the placed amount when empty"),
    "opened_on": (False, None, "YYYY-MM-DD"),
    "due_date": (True, None, "YYYY-MM-DD, when the oldest unpaid amount fell due"),
    "itemization_date": (False, None, "YYYY-MM-DD"),
    "last_payment_date": (False, None, "YYYY-MM-DD"),
}
# Consent the creditor holds for each channel (TCPA 47 CFR 64.1200(a)(1)(iii), NDPA ss.35-36, NYC 6 RCNY
# 5-77 need it recorded before collection texts/emails): yes, no, or empty for "nothing to say".
CONSENT_COLUMNS = {
    "consent_sms": (False, 5, "yes or no: agreed to texts"),
    "consent_whatsapp": (False, 5, "yes or no: agreed to WhatsApp messages"),
    "consent_email": (False, 5, "yes or no: agreed to emails"),
    "consent_evidence": (False, 200, "Where the consent was given, e.g. app sign-up 2024-03-01"),
}
COLUMNS = {**CUSTOMER_COLUMNS, **ACCOUNT_COLUMNS, **CONSENT_COLUMNS}
_CHECKS = tuple((name, required, max_len) for name, (required, max_len, _d) in COLUMNS.items())
REQUIRED = tuple(name for name, (required, _l, _d) in COLUMNS.items() if required)
DATE_COLUMNS = ("date_of_birth", "customer_since", "opened_on", "due_date", "itemization_date", "last_payment_date")
AMOUNT_COLUMNS = ("principal", "interest", "fees", "credits", "balance")
_PAST_DATE_COLUMNS = ("date_of_birth", "customer_since", "opened_on", "itemization_date", "last_payment_date")
_ZERO = Decimal("0")
# customer fields filled from defaults, by (channel empty, language empty)
_DEFAULTED = {
    (channel, language): frozenset(n for n, empty in (("preferred_channel", channel), ("language", language)) if empty)
    for channel in (False, True) for language in (False, True)
}
MAX_AMOUNT = Decimal("999999999999.99")  # what the database's 14-digit money columns hold

CHANNELS = frozenset(Channel.values)
LANGUAGES = frozenset(Language.values)
PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP, Channel.VOICE})
_email = EmailValidator()
# A strict subset of what Django's EmailValidator accepts (dot-atom user part of common characters, ASCII
# host labels, a letters-only TLD): an address matching it is valid without running Django's regexes;
# anything else is still judged by EmailValidator itself, so acceptance is exactly Django's.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}"
)
# A plain amount (digits, an optional fraction): parsed with Decimal directly; anything else (commas,
# spaces, signs, exponents) goes through money.parse_amount, whose rules it shares.
_PLAIN_AMOUNT = re.compile(r"([0-9]{1,15})(?:\.([0-9]*))?")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


class HeaderError(ValueError):
    """The header row cannot be used: the whole file is refused with this message."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class RowContext:
    """What the creditor contributes to reading a row."""

    currency: str
    phone_region: str
    language: str
    today: date


@dataclass(slots=True)
class PlacedRow:
    """One valid row, typed and normalised, ready to write."""

    line: int
    customer: dict = field(default_factory=dict)
    account: dict = field(default_factory=dict)
    defaulted: frozenset[str] = frozenset()  # customer fields filled from defaults, not from the file
    consents: dict = field(default_factory=dict)  # channel → True (granted) / False (no consent)
    consent_evidence: str = ""


def check_header(header: list[str]) -> list[str]:
    """Normalise the header (trim, lower-case) and refuse missing, unknown or repeated columns."""
    names = [(h or "").strip().lower() for h in header]
    if not any(names):
        raise HeaderError("The first line must be the header row with the column names.")
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    problems = []
    if missing:
        problems.append("missing required column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(unknown))
    if repeated:
        problems.append("column(s) given twice: " + ", ".join(repeated))
    if problems:
        raise HeaderError("The header row has " + "; ".join(problems) + ". See docs/placement-format.md.")
    return names


def email_ok(email: str) -> bool:
    """Django's EmailValidator's answer, with a fast path for plain addresses."""
    if len(email) <= 320 and _PLAIN_EMAIL.fullmatch(email):
        return True
    try:
        _email(email)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=64)
def _places(currency: str) -> tuple[int, Decimal]:
    return money.exponent(currency), money.quantum(currency)


def parse_amount(value: str, currency: str) -> Decimal:
    """money.parse_amount, with a fast path for plain digits with at most the currency's decimal places."""
    plain = _PLAIN_AMOUNT.fullmatch(value)
    if plain is not None:
        places, q = _places(currency)
        fraction = plain.group(2)
        if fraction is None or len(fraction) <= places:
            return Decimal(value).quantize(q)
    return money.parse_amount(value, currency)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a real date in the form YYYY-MM-DD") from None


def validate_row(line: int, raw: dict[str, str], ctx: RowContext) -> PlacedRow | list[RowError]:
    """Read one row (column → text). Returns the typed row, or every error found in it."""
    errors: list[RowError] = []

    def err(column: str, reason: str) -> None:
        errors.append(RowError(line, column, raw.get(column, "") or "", reason))

    get = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    value_of = get.get
    if None in raw:
        errors.append(RowError(line, "", "", "this row has more cells than the header has columns"))
    for name, required, max_len in _CHECKS:
        value = value_of(name, "")
        if required and not value:
            err(name, "is required")
        elif max_len and len(value) > max_len:
            err(name, f"is longer than {max_len} characters")

    dates: dict[str, date | None] = {}
    for name in DATE_COLUMNS:
        value = value_of(name, "")
        if value:
            try:
                dates[name] = _date(value)
            except ValueError as exc:
                err(name, str(exc))
        else:
            dates[name] = None
    today = ctx.today
    for name in _PAST_DATE_COLUMNS:
        if dates.get(name) and dates[name] > today:
            err(name, "is in the future")

    currency = (get.get("currency") or ctx.currency).upper()
    amounts: dict[str, Decimal | None] = {}
    if not money.is_currency(currency):
        err("currency", f"“{currency}” is not an ISO 4217 currency code")
    else:
        for name in AMOUNT_COLUMNS:
            value = value_of(name, "")
            if not value:
                amounts[name] = None if name == "balance" else _ZERO
                continue
            try:
                amount = parse_amount(value, currency)
            except money.MoneyError as exc:
                err(name, str(exc))
                continue
            except ArithmeticError:  # e.g. "1e400": Decimal cannot quantize it (money.parse_amount lets it through)
                err(name, "is too large")
                continue
            if amount < 0:
                err(name, "cannot be negative")
            elif amount > MAX_AMOUNT:
                err(name, "is too large")
            else:
                amounts[name] = amount
    placed = None
    if all(amounts.get(n) is not None for n in ("principal", "interest", "fees", "credits")):
        placed = amounts["principal"] + amounts["interest"] + amounts["fees"] - amounts["credits"]
        if placed < 0:
            err("credits", "is more than principal + interest + fees")

    email = get.get("email", "")
    if email:
        if not email_ok(email):
            err("email", "is not an email address")
        email = email.lower() if "@" in email else email

    phone_text = get.get("phone", "")
    number = None
    phone = ""
    if phone_text:
        number = phone_read(phone_text, ctx.phone_region)
        if number is None:
            err("phone", f"is not a valid phone number (read with region {ctx.phone_region})")
        else:
            phone = number.e164

    country = get.get("country", "").upper()
    if country and country not in phonenumbers.SUPPORTED_REGIONS:
        err("country", "is not a two-letter country code such as NG or US")
    if not country and number is not None:
        country = number.region
    region = get.get("region", "").upper()

    channel = get.get("preferred_channel", "").lower()
    if channel and channel not in CHANNELS:
        err("preferred_channel", "must be one of: " + ", ".join(sorted(CHANNELS)))
    if not channel:
        channel = Channel.SMS if phone_text else Channel.EMAIL
    if not phone_text and not email:
        err("phone", "a phone number or an email address is needed to reach the customer")
    elif channel in PHONE_CHANNELS and not phone_text:
        err("phone", f"is needed when the preferred channel is {channel}")
    elif channel == Channel.EMAIL and not email:
        err("email", "is needed when the preferred channel is email")

    language = get.get("language", "") or ctx.language
    if language not in LANGUAGES:
        err("language", "must be one of: " + ", ".join(sorted(LANGUAGES)))

    consents: dict[str, bool] = {}
    for channel_name, column, needs in (
        ("sms", "consent_sms", phone_text), ("whatsapp", "consent_whatsapp", phone_text), ("email", "consent_email", email),
    ):
        value = value_of(column, "")
        if not value:
            continue
        value = value.lower()
        if value not in _YES and value not in _NO:
            err(column, "must be yes or no (or left empty)")
        elif value in _YES and not needs:
            err(column, f"says yes, but there is no {'email address' if channel_name == 'email' else 'phone number'}")
        else:
            consents[channel_name] = value in _YES

    explicit_zone = get.get("time_zone", "")
    if explicit_zone and not zones.is_zone(explicit_zone):
        err("time_zone", "is not a time zone name such as Africa/Lagos")

    if errors:
        return errors

    defaulted = _DEFAULTED[(not value_of("preferred_channel"), not value_of("language"))]
    time_zone, possible = zones.derive_time_zone(
        explicit=explicit_zone, phone=number, country=country, region=region
    )
    due = dates["due_date"]
    balance = amounts["balance"] if amounts["balance"] is not None else placed
    return PlacedRow(
        line=line,
        defaulted=defaulted,
        consents=consents,
        consent_evidence=get.get("consent_evidence", ""),
        customer={
            "external_ref": get["customer_ref"],
            "first_name": get["first_name"],
            "last_name": get.get("last_name", ""),
            "date_of_birth": dates["date_of_birth"],
            "email": email,
            "phone": phone,
            "address_line": get.get("address_line", ""),
            "city": get.get("city", ""),
            "postal_code": get.get("postal_code", ""),
            "region": region,
            "country": country,
            "time_zone": time_zone,
            "possible_time_zones": possible,
            "preferred_channel": channel,
            "language": language,
            "customer_since": dates["customer_since"],
        },
        account={
            "reference": get["account_reference"],
            "product": get.get("product", ""),
            "currency": currency,
            "principal": amounts["principal"],
            "interest": amounts["interest"],
            "fees": amounts["fees"],
            "credits": amounts["credits"],
            "placed_amount": placed,
            "balance": balance,
            "opened_on": dates["opened_on"],
            "due_date": due,
            "itemization_date": dates["itemization_date"],
            "last_payment_date": dates["last_payment_date"],
            "delinquency_bucket": DelinquencyBucket.for_days((ctx.today - due).days),
        },
    )
