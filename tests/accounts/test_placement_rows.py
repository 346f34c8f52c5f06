"""The pure side of the placement import: header checks, row validation, time zones, streaming."""

import io
from datetime import date
from decimal import Decimal

import phonenumbers
import pytest

from accounts.placement import zones
from accounts.placement.phones import phone_read
from accounts.placement.reader import StreamStats, read_placements
from accounts.placement.rows import HeaderError, PlacedRow, RowContext, check_header, validate_row
from tests.accounts.placement_helpers import csv_bytes, row

CTX = RowContext(currency="NGN", phone_region="NG", language="en", today=date(2025, 6, 1))


def read(data: bytes, ctx=CTX):
    stats = StreamStats()
    return list(read_placements(io.BytesIO(data), ctx, stats)), stats


def errors_of(**changes):
    result = validate_row(2, row(**changes), CTX)
    assert isinstance(result, list), result
    return {(e.column, e.reason) for e in result}


def test_good_row_is_typed_and_normalised():
    result = validate_row(2, row(), CTX)
    assert isinstance(result, PlacedRow)
    assert result.customer["phone"] == "+2348031234567"
    assert result.customer["time_zone"] == "Africa/Lagos"
    assert result.customer["country"] == "NG"
    assert result.account["principal"] == Decimal("40000.00")
    assert result.account["placed_amount"] == Decimal("42000.00")
    assert result.account["balance"] == Decimal("42000.00")  # defaults to the placed amount
    assert result.account["delinquency_bucket"] == "181+"


@pytest.mark.parametrize(
    ("changes", "column", "reason_part"),
    [
        ({"principal": "-10"}, "principal", "cannot be negative"),
        ({"interest": "ten"}, "interest", "not a number"),
        ({"principal": "12.345"}, "principal", "more decimal places"),
        ({"balance": "1e400"}, "balance", "too large"),
        ({"credits": "99999"}, "credits", "more than principal"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"due_date": "2024-02-30"}, "due_date", "not a real date"),
        ({"due_date": "15/01/2024"}, "due_date", "not a real date"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth", "future"),
        ({"phone": "12345"}, "phone", "not a valid phone number"),
        ({"phone": "call me"}, "phone", "not a valid phone number"),
        ({"email": "ngozi@"}, "email", "not an email address"),
        ({"language": "de"}, "language", "must be one of"),
        ({"preferred_channel": "fax"}, "preferred_channel", "must be one of"),
        ({"preferred_channel": "email", "email": ""}, "email", "needed when the preferred channel is email"),
        ({"phone": "", "email": ""}, "phone", "phone number or an email address"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone"),
        ({"customer_ref": ""}, "customer_ref", "is required"),
        ({"account_reference": "x" * 65}, "account_reference", "longer than 64"),
        ({"country": "ZZ"}, "country", "two-letter country code"),
    ],
)
def test_bad_values_are_rejected_with_column_and_reason(changes, column, reason_part):
    found = errors_of(**changes)
    assert any(c == column and reason_part in r for c, r in found), found


def test_all_errors_of_a_row_are_reported_together():
    found = errors_of(principal="-1", email="nope", due_date="2024-13-01")
    assert {c for c, _ in found} >= {"principal", "email", "due_date"}


def test_zone_from_us_phone_and_state():
    us = RowContext(currency="USD", phone_region="US", language="en", today=date(2025, 6, 1))
    result = validate_row(2, row(phone="(212) 555-0100", region="NY", currency="USD"), us)
    assert isinstance(result, PlacedRow), result
    assert result.customer["time_zone"] == "America/New_York"


def test_split_state_without_phone_zone_keeps_every_candidate():
    tz, possible = zones.derive_time_zone(explicit="", phone=None, country="US", region="TX")
    assert tz == ""
    assert possible == ["America/Chicago", "America/Denver"]


def test_phone_and_region_are_intersected():
    number = phone_read("+19155550100", "NG")  # El Paso, Mountain time
    tz, possible = zones.derive_time_zone(explicit="", phone=number, country="US", region="TX")
    assert (tz, possible) == ("America/Denver", [])


def test_explicit_zone_wins():
    assert zones.derive_time_zone(explicit="Europe/London", phone=None, country="NG", region="") == (
        "Europe/London", [],
    )


def test_header_problems_are_named():
    with pytest.raises(HeaderError, match="missing required column.*principal"):
        check_header(["customer_ref", "first_name", "account_reference", "due_date"])
    with pytest.raises(HeaderError, match="unknown column.*favourite_colour"):
        check_header([*row().keys(), "favourite_colour"])
    with pytest.raises(HeaderError, match="given twice"):
        check_header([*row().keys(), "email"])


def test_header_is_case_and_space_insensitive():
    names = check_header([f" {c.upper()} " for c in row()])
    assert names == list(row())


def test_bom_and_no_bom_read_the_same():
    with_bom, _ = read(csv_bytes([row()], bom=True))
    without, _ = read(csv_bytes([row()]))
    assert isinstance(with_bom[0], PlacedRow) and isinstance(without[0], PlacedRow)
    assert with_bom[0].customer == without[0].customer


def test_empty_file_and_header_only_are_refused():
    with pytest.raises(HeaderError, match="empty"):
        read(b"")
    with pytest.raises(HeaderError, match="no accounts"):
        read(csv_bytes([]))


def test_non_utf8_file_is_refused_whole_when_the_header_is_not_utf8():
    data = csv_bytes([row(first_name="Zoë")], columns=["first_name", *[c for c in row() if c != "first_name"]],
                     encoding="utf-16")
    with pytest.raises(HeaderError, match="not UTF-8"):
        read(data)


def test_a_latin1_line_is_a_row_error_and_the_rest_go_in():
    data = csv_bytes([row(), row(account_reference="A2", first_name="Zoë")], encoding="latin-1")
    rows, _ = read(data)
    assert isinstance(rows[0], PlacedRow)
    assert rows[1][0].line == 3 and "UTF-8" in rows[1][0].reason


def test_duplicate_reference_in_one_file_names_the_first_line():
    rows, _ = read(csv_bytes([row(), row(customer_ref="C2")]))
    assert isinstance(rows[0], PlacedRow)
    assert rows[1][0].column == "account_reference"
    assert "first on line 2" in rows[1][0].reason


def test_too_many_cells_is_a_row_error():
    from accounts.placement.rows import COLUMNS

    data = csv_bytes([row()]) + ",".join(str(i) for i in range(len(COLUMNS) + 1)).encode() + b"\n"
    rows, _ = read(data)
    assert any("more cells" in e.reason for e in rows[1])


def test_line_numbers_count_quoted_newlines():
    rows, _ = read(csv_bytes([row(address_line="12 Broad St\nFlat 3"), row(account_reference="A2", principal="-1")]))
    assert isinstance(rows[0], PlacedRow)
    assert rows[1][0].line == 4


def test_stats_fingerprint_the_file():
    data = csv_bytes([row()])
    _, stats = read(data)
    import hashlib

    assert stats.sha256 == hashlib.sha256(data).hexdigest()
    assert stats.bytes_read == len(data)


def test_phone_reading_and_zones_agree_with_libphonenumber():
    """phones.phone_read_slow (the fallback) and zones.zones_for_phone reuse the number type to skip a
    second pass; the answers must be the library's own is_valid_number, E.164 and time zones."""
    import random

    from phonenumbers import timezone as phone_timezone

    from accounts.placement.phones import phone_read_slow

    rng = random.Random(1)
    samples = (
        [f"0803{rng.randrange(10**7):07d}" for _ in range(300)]
        + [f"+1{rng.randrange(10**10):010d}" for _ in range(600)]
        + [f"+44{rng.randrange(10**10):010d}" for _ in range(300)]
        + [f"+{rng.randrange(10**11)}" for _ in range(800)]
    )
    checked = 0
    for text in samples:
        try:
            number = phonenumbers.parse(text, "NG")
        except phonenumbers.NumberParseException:
            number = None
        read = phone_read_slow(text, "NG")
        valid = number is not None and phonenumbers.is_valid_number(number)
        assert (read is not None) == valid, text
        if valid:
            checked += 1
            assert read.e164 == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), text
            assert read.number_type == phonenumbers.number_type(number), text
            assert read.region == phonenumbers.region_code_for_number(number), text
            expected = tuple(z for z in phone_timezone.time_zones_for_number(number) if z != "Etc/Unknown")
            assert zones.zones_for_phone(read) == expected, text
    assert checked > 300


def test_fast_amounts_and_emails_agree_with_money_and_django():
    """rows.parse_amount and rows.email_ok take shortcuts for plain input; their answers must be exactly
    money.parse_amount's and Django's EmailValidator's, shortcut or not."""
    import random

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from accounts.placement.rows import email_ok, parse_amount
    from collections_crm import money

    rng = random.Random(3)

    def outcome(parse, text, currency):
        try:
            return str(parse(text, currency))
        except (money.MoneyError, ArithmeticError) as exc:
            return type(exc).__name__

    texts = ["0", "1", "12.", "12.5", "12.50", "12.505", "0001.00", "1,234.50", ".5", "1e3", "-1", " 7 ",
             "123456789012345", "1234567890123456"]
    texts += [f"{rng.randrange(10**8)}.{rng.randrange(1000)}" for _ in range(300)]
    for currency in ("NGN", "USD", "JPY", "KWD"):
        for text in texts:
            assert outcome(parse_amount, text, currency) == outcome(money.parse_amount, text, currency), text

    def django_says(email):
        try:
            validate_email(email)
        except ValidationError:
            return False
        return True

    chars = "aZ09._+-@!#'\"é "
    endings = ["@x.com", "@a-b.co.uk", "@-a.com", "@a..com", "@localhost", "@x.c", "@x.c0m", "@[127.0.0.1]", ""]
    for _ in range(20_000):
        email = "".join(rng.choice(chars) for _ in range(rng.randrange(1, 12))) + rng.choice(endings)
        assert email_ok(email) == django_says(email), email
    assert email_ok("customer1@example.com") and not email_ok("customer1@example")
