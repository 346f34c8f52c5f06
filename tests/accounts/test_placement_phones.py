"""The placement file's fast phone path must give libphonenumber's own answers: never accept a number it
refuses, never give another E.164 form, number type, region or time zone."""

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers import timezone as phone_timezone

from accounts.placement import zones
from accounts.placement.phones import Phone, phone_read, phone_read_fast

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
# Regions with something special for parsing: shared calling codes (NANPA, +44, +7, +262…), national
# prefix transform rules (AR, MX, BR), no national prefix (IT, ES), a prefix for parsing that is a pattern
# (GB "0|180020"), leading zeros kept (IT), long numbers (DE, AT).
CREDITOR_REGIONS = ["NG", "GH", "KE", "ZA", "US", "CA", "PR", "JM", "GB", "GG", "JE", "IM", "RU", "KZ", "IT",
                    "VA", "AR", "MX", "BR", "DE", "AT", "FR", "RE", "YT", "IN", "AU", "CX", "CC", "NZ", "FI",
                    "AX", "NO", "SJ", "MA", "EH", "SH", "TA", "CI", "BJ", "XK"]
TYPES = [t for t in range(12) if t != PhoneNumberType.UNKNOWN]


def libphonenumber(text: str, region: str) -> Phone | None:
    """The reference: parse, is_valid_number, format_number, number_type, region_code_for_number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Phone(
        phonenumbers.format_number(number, PhoneNumberFormat.E164), phonenumbers.number_type(number),
        number.country_code, phonenumbers.region_code_for_number(number),
    )


def check(text: str, region: str) -> Phone | None:
    expected = libphonenumber(text, region)
    fast = phone_read_fast(text, region)
    if fast is not None:
        assert fast == expected, (text, region)
    assert phone_read(text, region) == expected, (text, region)
    if expected is not None:
        number = phonenumbers.parse(text, region)
        zones_expected = tuple(z for z in phone_timezone.time_zones_for_number(number) if z != "Etc/Unknown")
        assert zones.zones_for_phone(phone_read(text, region)) == zones_expected, (text, region)
    return fast


def _examples() -> list[str]:
    found = []
    for region in REGIONS:
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            found.append(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    return found


EXAMPLES = _examples()


def _reshape(digits: str, cuts: list[int], separators: list[str]) -> str:
    """Digits split at ``cuts`` with the given separators (spaces, dashes, or odd ones)."""
    out, last = [], 0
    for cut, sep in zip(sorted({c % (len(digits) + 1) for c in cuts}), separators, strict=False):
        out += [digits[last:cut], sep]
        last = cut
    out.append(digits[last:])
    return "".join(out)


@st.composite
def written_numbers(draw):
    """A real example number (any region, any type), written as a file might hold it, sometimes with a
    digit changed, dropped or added so that it turns invalid or into another type or region."""
    e164 = draw(st.sampled_from(EXAMPLES))
    number = phonenumbers.parse(e164)
    style = draw(st.sampled_from(["e164", "national", "international", "digits", "cc-without-plus", "idd"]))
    if style == "e164":
        text = e164
    elif style == "national":
        text = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    elif style == "international":
        text = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    elif style == "digits":
        text = phonenumbers.national_significant_number(number)
    elif style == "cc-without-plus":
        text = e164[1:]
    else:
        text = draw(st.sampled_from(["00", "011", "009", "810", "0011"])) + e164[1:]
    plus = text.startswith("+")
    digits = "".join(c for c in text if c.isdigit())
    edit = draw(st.sampled_from(["none", "none", "change", "drop", "add", "national-prefix"]))
    if digits and edit != "none":
        at = draw(st.integers(0, len(digits) - 1))
        digit = draw(st.sampled_from("0123456789"))
        if edit == "change":
            digits = digits[:at] + digit + digits[at + 1:]
        elif edit == "drop":
            digits = digits[:at] + digits[at + 1:]
        elif edit == "add":
            digits = digits[:at] + digit + digits[at:]
        else:
            digits = draw(st.sampled_from(["0", "1", "8", "00"])) + digits
    if draw(st.booleans()):
        seps = draw(st.lists(st.sampled_from([" ", "-", " ", "-", "  ", "(", ")", ".", "/"]), max_size=4))
        cuts = draw(st.lists(st.integers(0, 20), max_size=4))
        digits = _reshape(digits, cuts, seps)
    return ("+" if plus else "") + digits


odd_texts = st.text(alphabet="0123456789+- ()x#.*/;=\uff10\u0661\uff0bab", max_size=24)
digit_strings = st.from_regex(r"\+?[0-9]{1,19}", fullmatch=True)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=written_numbers(), region=st.sampled_from(CREDITOR_REGIONS))
@example(text="08031234567", region="NG")
@example(text="+44 20 7946 0958", region="GB")
def test_written_numbers_agree_with_libphonenumber(text, region):
    check(text, region)


@settings(max_examples=1500, deadline=None)
@given(text=written_numbers(), region=st.sampled_from(REGIONS))
def test_written_numbers_in_any_region_agree(text, region):
    check(text, region)


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(digit_strings, odd_texts), region=st.sampled_from(CREDITOR_REGIONS))
def test_random_text_agrees_with_libphonenumber(text, region):
    check(text, region)


@pytest.mark.parametrize("region", REGIONS)
def test_every_example_number_of_every_region(region):
    """Every region's example numbers, written national, international and E.164, read with that region
    as the default: the same answer as libphonenumber, whichever path takes it."""
    for kind in TYPES:
        number = phonenumbers.example_number_for_type(region, kind)
        if number is None:
            continue
        for style in (PhoneNumberFormat.E164, PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL):
            text = phonenumbers.format_number(number, style)
            check(text, region)
            check(text.replace(" ", "-"), region)


@pytest.mark.parametrize("text", ["08031234567", "0803 123 4567", "0803-123-4567", "+2348031234567",
                                  "+234 803 123 4567", "8031234567", "02033 12 3456"])
def test_common_nigerian_shapes_take_the_fast_path(text):
    """The shapes placement files hold are read without phonenumbers.parse (so the speed-up holds)."""
    fast = check(text, "NG")
    assert fast is not None and fast == libphonenumber(text, "NG")


@pytest.mark.parametrize("text, region", [("(212) 555-0100", "US"), ("212-555-0100", "US"), ("+1 416 555 0100", "US"),
                                          ("020 7946 0958", "GB"), ("07700 900123", "GB"), ("+7 701 123 4567", "RU")])
def test_shared_calling_codes_and_other_regions(text, region):
    check(text, region)
