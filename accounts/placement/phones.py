"""Reading a placement file's phone number: libphonenumber's answer, fast for the common shapes.

``phone_read(text, region)`` gives what ``phonenumbers.parse`` + ``number_type`` + ``is_valid_number`` +
``region_code_for_number`` give: the E.164 form, the number type, the country calling code and the
number's region, or None when libphonenumber would refuse the number. Parsing the general way costs
~25 µs a number in the Python port, most of it spent on shapes a file never has (letters, extensions,
RFC 3966, carrier codes). Plain digits with an optional leading ``+`` and single spaces or dashes between
groups are read here instead, by the same steps ``parse`` takes, with each region's regular expressions
taken from libphonenumber's own metadata (``PhoneMetadata``) and compiled once. Whenever a step is not a
plain one (an international dialling prefix, the country code written without ``+``, a national prefix
transform, an Italian leading zero, a non-geographic code, or a number it finds invalid), the fast path
steps aside and ``phonenumbers`` itself decides. Agreement is property-tested in
tests/accounts/test_placement_phones.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    REGION_CODE_FOR_NON_GEO_ENTITY,
    ValidationResult,
    _test_number_length,
)

UNKNOWN = PhoneNumberType.UNKNOWN
_MAX_LENGTH_FOR_NSN = 17  # phonenumberutil._MAX_LENGTH_FOR_NSN
_MIN_LENGTH_FOR_NSN = 2  # phonenumberutil._MIN_LENGTH_FOR_NSN
# ASCII digits, one optional leading "+", single spaces or dashes between digit groups.
_SHAPE = re.compile(r"(\+?)([0-9]+(?:[ -][0-9]+)*)")
_SPECIAL_TYPES = (
    (PhoneNumberType.PREMIUM_RATE, "premium_rate"), (PhoneNumberType.TOLL_FREE, "toll_free"),
    (PhoneNumberType.SHARED_COST, "shared_cost"), (PhoneNumberType.VOIP, "voip"),
    (PhoneNumberType.PERSONAL_NUMBER, "personal_number"), (PhoneNumberType.PAGER, "pager"),
    (PhoneNumberType.UAN, "uan"), (PhoneNumberType.VOICEMAIL, "voicemail"),
)


class Phone(NamedTuple):
    """A valid number as libphonenumber reads it."""

    e164: str
    number_type: int
    country_code: int
    region: str  # phonenumbers.region_code_for_number


def _desc(desc) -> tuple[frozenset[int] | None, re.Pattern] | None:
    """A PhoneNumberDesc as (possible lengths or None for any, pattern); None when it can match nothing
    (phonenumberutil._is_number_matching_desc)."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = frozenset(desc.possible_length) if len(desc.possible_length) > 0 else None
    if lengths is not None and all(n < 0 for n in lengths):
        return None  # "-1": no number of this type exists
    return lengths, re.compile(desc.national_number_pattern)


def _matches(desc, nsn: str) -> bool:
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths is not None and len(nsn) not in lengths:
        return False
    return pattern.fullmatch(nsn) is not None


class _Region:
    """One region's metadata, compiled: what parsing with it and typing a number against it need."""

    def __init__(self, region: str, metadata):
        self.region = region
        self.country_code = metadata.country_code
        self.country_code_str = str(metadata.country_code)
        self.idd = re.compile(metadata.international_prefix) if metadata.international_prefix else None
        prefix = metadata.national_prefix_for_parsing
        self.national_prefix = re.compile(prefix) if prefix else None
        self.transform = bool(metadata.national_prefix_transform_rule)
        pattern = metadata.general_desc.national_number_pattern
        self.general_pattern = re.compile(pattern) if pattern else None
        self.general = _desc(metadata.general_desc)
        self.leading_digits = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
        self.special = tuple(
            (kind, d) for kind, name in _SPECIAL_TYPES if (d := _desc(getattr(metadata, name))) is not None
        )
        self.fixed_line = _desc(metadata.fixed_line)
        self.mobile = _desc(metadata.mobile)
        self.same_mobile_and_fixed_line = metadata.same_mobile_and_fixed_line_pattern
        # Lengths at which parse keeps a number with its national prefix stripped: the length test (against
        # the general description, so it depends on the length only) must not say too short, local only
        # or invalid. Asked of libphonenumber itself, once per length.
        self.keep_stripped = frozenset(
            n for n in range(_MAX_LENGTH_FOR_NSN + 2)
            if _test_number_length("1" * n, metadata) not in (
                ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH,
            )
        )

    def _viable(self, number: str) -> bool:
        return self.general_pattern is not None and self.general_pattern.fullmatch(number) is not None

    def national_significant(self, number: str) -> str | None:
        """parse's national prefix step (_maybe_strip_national_prefix_carrier_code, then the length test);
        None when it needs a transform rule (the caller steps aside)."""
        if self.national_prefix is None:
            return number
        match = self.national_prefix.match(number)
        if match is None:
            return number
        groups = match.groups()
        if self.transform and not (groups and groups[-1] is None):
            return None
        stripped = number[match.end():]
        if self._viable(number) and not self._viable(stripped):
            return number
        return stripped if len(stripped) in self.keep_stripped else number

    def number_type(self, nsn: str) -> int:
        """phonenumberutil._number_type_helper."""
        if not _matches(self.general, nsn):
            return UNKNOWN
        for kind, desc in self.special:
            if _matches(desc, nsn):
                return kind
        if _matches(self.fixed_line, nsn):
            if self.same_mobile_and_fixed_line or _matches(self.mobile, nsn):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not self.same_mobile_and_fixed_line and _matches(self.mobile, nsn):
            return PhoneNumberType.MOBILE
        return UNKNOWN


@lru_cache(maxsize=512)
def _region(region: str) -> _Region | None:
    metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
    return None if metadata is None else _Region(region, metadata)


@lru_cache(maxsize=512)
def _calling_code(country_code: int) -> tuple[_Region, ...] | None:
    """The regions sharing a calling code, in libphonenumber's order; None for non-geographic codes."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not regions or REGION_CODE_FOR_NON_GEO_ENTITY in regions:
        return None
    compiled = tuple(r for r in (_region(code) for code in regions) if r is not None)
    return compiled if compiled and compiled[0].region == regions[0] else None


def _number_region(regions: tuple[_Region, ...], nsn: str) -> _Region | None:
    """phonenumbers.region_code_for_number (_region_code_for_number_from_list)."""
    if len(regions) == 1:
        return regions[0]
    for region in regions:
        if region.leading_digits is not None:
            if region.leading_digits.match(nsn):
                return region
        elif region.number_type(nsn) != UNKNOWN:
            return region
    return None


def phone_read_fast(text: str, region: str) -> Phone | None:
    """The fast path only: a Phone for a plain, valid number, or None for "ask phonenumbers" (which
    includes every number this path would refuse: refusing is always left to libphonenumber)."""
    shape = _SHAPE.fullmatch(text) if len(text) <= 64 else None
    if shape is None:
        return None
    digits = shape.group(2).replace(" ", "").replace("-", "")
    if shape.group(1):
        # "+" then the country calling code (_extract_country_code: 1 to 3 digits, never starting with 0).
        if len(digits) <= _MIN_LENGTH_FOR_NSN or digits[0] == "0":
            return None
        for size in (1, 2, 3):
            country_code = int(digits[:size])
            if country_code in COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        regions = _calling_code(country_code)
        if regions is None:
            return None
        parsing = regions[0]  # parse reads it with the calling code's main region's metadata
        national = digits[size:]
    else:
        parsing = _region(region)
        if parsing is None or (parsing.idd is not None and parsing.idd.match(digits)):
            return None  # no such region, or an international dialling prefix: phonenumbers decides
        if digits.startswith(parsing.country_code_str):
            return None  # maybe the country code without "+": phonenumbers decides
        country_code = parsing.country_code
        regions = _calling_code(country_code)
        if regions is None:
            return None
        national = digits
    if len(national) < _MIN_LENGTH_FOR_NSN:
        return None
    nsn = parsing.national_significant(national)
    if nsn is None or len(nsn) > _MAX_LENGTH_FOR_NSN or len(nsn) < _MIN_LENGTH_FOR_NSN or nsn[0] == "0":
        return None
    owner = _number_region(regions, nsn)
    if owner is None or owner.country_code != country_code:
        return None
    kind = owner.number_type(nsn)
    if kind == UNKNOWN:
        return None
    return Phone(f"+{country_code}{nsn}", kind, country_code, owner.region)


def _valid_region(number) -> str | None:
    """The region part of phonenumbers.is_valid_number once the number type is known: the number's
    region, or None when it has none (a non-geographic entity number counts as its own region)."""
    region = phonenumbers.region_code_for_number(number)
    if region is None:
        return None
    if region == REGION_CODE_FOR_NON_GEO_ENTITY:
        return region
    return region if phonenumbers.country_code_for_region(region) == number.country_code else None


def phone_read_slow(text: str, region: str) -> Phone | None:
    """phonenumbers itself: parse, number_type, the region check of is_valid_number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    kind = phonenumbers.number_type(number)
    if kind == UNKNOWN:
        return None
    owner = _valid_region(number)
    if owner is None:
        return None
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), kind,
                 number.country_code, owner)


def phone_read(text: str, region: str) -> Phone | None:
    """The number as libphonenumber reads it with ``region`` as the default, or None if it is not valid."""
    return phone_read_fast(text, region) or phone_read_slow(text, region)
