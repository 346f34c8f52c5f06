"""Deriving a customer's time zone from what a placement file tells us: an explicit zone, the phone
number (libphonenumber's geocoding of the number prefix) and the postal region. Pure, no ORM.

When one zone remains, it is the customer's zone. When several remain, the zone is left empty and every
candidate is kept in ``possible_time_zones``: the contact gate then needs an hour allowed in all of
them (compliance-reference: contact windows are judged at the customer's location).
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from phonenumbers import PhoneNumber
from phonenumbers import timezone as phone_timezone
from phonenumbers.phonenumberutil import is_number_type_geographical
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

from .phones import Phone

# US states and Canadian provinces/territories → the IANA zones used within them. libphonenumber and
# tzdata have no region→zone table, so this small mapping is ours (source: IANA tzdata zone.tab
# comments and the US DOT time-zone boundaries). States split across zones list every zone.
NORTH_AMERICA_REGION_ZONES: dict[str, dict[str, tuple[str, ...]]] = {
    "US": {
        "AL": ("America/Chicago",), "AK": ("America/Anchorage", "America/Adak"),
        "AZ": ("America/Phoenix",), "AR": ("America/Chicago",), "CA": ("America/Los_Angeles",),
        "CO": ("America/Denver",), "CT": ("America/New_York",), "DE": ("America/New_York",),
        "DC": ("America/New_York",), "FL": ("America/New_York", "America/Chicago"),
        "GA": ("America/New_York",), "HI": ("Pacific/Honolulu",), "ID": ("America/Boise", "America/Los_Angeles"),
        "IL": ("America/Chicago",), "IN": ("America/Indiana/Indianapolis", "America/Chicago"),
        "IA": ("America/Chicago",), "KS": ("America/Chicago", "America/Denver"),
        "KY": ("America/New_York", "America/Chicago"), "LA": ("America/Chicago",),
        "ME": ("America/New_York",), "MD": ("America/New_York",), "MA": ("America/New_York",),
        "MI": ("America/Detroit", "America/Menominee"), "MN": ("America/Chicago",),
        "MS": ("America/Chicago",), "MO": ("America/Chicago",), "MT": ("America/Denver",),
        "NE": ("America/Chicago", "America/Denver"), "NV": ("America/Los_Angeles",),
        "NH": ("America/New_York",), "NJ": ("America/New_York",), "NM": ("America/Denver",),
        "NY": ("America/New_York",), "NC": ("America/New_York",),
        "ND": ("America/Chicago", "America/Denver"), "OH": ("America/New_York",),
        "OK": ("America/Chicago",), "OR": ("America/Los_Angeles", "America/Boise"),
        "PA": ("America/New_York",), "RI": ("America/New_York",), "SC": ("America/New_York",),
        "SD": ("America/Chicago", "America/Denver"), "TN": ("America/Chicago", "America/New_York"),
        "TX": ("America/Chicago", "America/Denver"), "UT": ("America/Denver",), "VT": ("America/New_York",),
        "VA": ("America/New_York",), "WA": ("America/Los_Angeles",), "WV": ("America/New_York",),
        "WI": ("America/Chicago",), "WY": ("America/Denver",), "PR": ("America/Puerto_Rico",),
    },
    "CA": {
        "AB": ("America/Edmonton",), "BC": ("America/Vancouver", "America/Edmonton"),
        "MB": ("America/Winnipeg",), "NB": ("America/Moncton",), "NL": ("America/St_Johns", "America/Goose_Bay"),
        "NS": ("America/Halifax",), "NT": ("America/Yellowknife",), "NU": ("America/Iqaluit", "America/Winnipeg"),
        "ON": ("America/Toronto", "America/Winnipeg"), "PE": ("America/Halifax",),
        "QC": ("America/Toronto", "America/Halifax"), "SK": ("America/Regina",), "YT": ("America/Whitehorse",),
    },
}

_UNKNOWN = "Etc/Unknown"


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    if name in known_zones():
        return True
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True


@lru_cache(maxsize=65536)
def _zones_for_prefix(digits: str) -> tuple[str, ...]:
    # libphonenumber's own lookup (time_zones_for_geographical_number) on the first TIMEZONE_LONGEST_PREFIX
    # digits of the E.164 number, cached: it never looks further than those digits.
    for length in range(len(digits), 0, -1):
        zones = TIMEZONE_DATA.get(digits[:length])
        if zones:
            return tuple(z for z in zones if z != _UNKNOWN)
    return ()


@lru_cache(maxsize=1024)
def _zones_for_country(country_code: int) -> tuple[str, ...]:
    probe = PhoneNumber(country_code=country_code, national_number=0)
    return tuple(z for z in phone_timezone._country_level_time_zones_for_number(probe) if z != _UNKNOWN)


def zones_for_phone(phone: Phone | None) -> tuple[str, ...]:
    """The zones libphonenumber gives for a valid number (phonenumbers.timezone.time_zones_for_number),
    from what reading it already worked out: its type, calling code and E.164 form."""
    if phone is None or phone.number_type == phonenumbers.PhoneNumberType.UNKNOWN:
        return ()
    if not is_number_type_geographical(phone.number_type, phone.country_code):
        # What time_zones_for_number does for a mobile/non-geographic number, without its second
        # number_type() pass: the country's zones, cached per country code.
        return _zones_for_country(phone.country_code)
    return _zones_for_prefix(phone.e164[1 : 1 + TIMEZONE_LONGEST_PREFIX])


def zones_for_region(country: str, region: str) -> tuple[str, ...]:
    return NORTH_AMERICA_REGION_ZONES.get(country, {}).get(region, ())


def derive_time_zone(
    *, explicit: str, phone: Phone | None, country: str, region: str
) -> tuple[str, list[str]]:
    """→ (time_zone, possible_time_zones). Explicit wins; else phone ∩ region; else whichever is known."""
    if explicit:
        return explicit, []
    by_phone = zones_for_phone(phone)
    by_region = zones_for_region(country, region)
    if by_phone and by_region:
        both = [z for z in by_phone if z in by_region]
        # A mobile number travels with its owner: when phone and address disagree, keep every candidate.
        candidates = both or sorted(set(by_phone) | set(by_region))
    else:
        candidates = list(by_phone or by_region)
    if len(candidates) == 1:
        return candidates[0], []
    return "", sorted(candidates)
