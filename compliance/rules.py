"""Jurisdiction rule profiles and the arithmetic of windows, caps and holidays. Pure: no ORM, no I/O
(the ``holidays`` library computes dates in memory). Numbers come from
/docs/compliance-reference.md; where the law gives none, the cautious house baseline says so.

A profile is versioned: a gate decision records ``rule_version`` so it can be explained later. Bump
``version`` whenever a number changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

EMAIL, SMS, WHATSAPP, VOICE = "email", "sms", "whatsapp", "voice"
ALL_CHANNELS = frozenset({EMAIL, SMS, WHATSAPP, VOICE})
TEXT_CHANNELS = frozenset({SMS, WHATSAPP})
MAX_LIMIT_DAYS = 31  # the gate loads 32 days of history


class RuleLoosening(ValueError):
    """A creditor tightening would loosen a profile below the law. ``problems`` maps field to words."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class FrequencyCap:
    """At most ``limit`` counted attempts on ``channels`` within ``days`` consecutive days, counted per
    account (per debt) or per customer."""

    channels: frozenset[str]
    limit: int
    days: int
    per: str = "account"  # "account" | "customer"
    cite: str = ""


@dataclass(frozen=True)
class RuleProfile:
    code: str
    version: str
    country: str
    window_start: time  # first lawful local minute
    window_end: time  # contact must happen before this local time
    caps: tuple[FrequencyCap, ...] = ()
    # Calls blocked on the conversation day and the next (days - 1) days: 12 CFR 1006.14(b)(2)(ii).
    conversation_cooldown_days: int = 0
    cooldown_channels: frozenset[str] = frozenset({VOICE})
    quiet_weekdays: frozenset[int] = frozenset()  # 0 = Monday
    holidays_quiet: bool = True
    consent_channels: frozenset[str] = TEXT_CHANNELS  # channels needing recorded consent for collection
    opt_out_notice_channels: frozenset[str] = frozenset()  # messages must carry an opt-out method
    cites: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"


# Reg F 1006.14(b)(2)(i): more than 7 calls within 7 consecutive days is a presumed violation.
REG_F_CALLS = FrequencyCap(frozenset({VOICE}), 7, 7, "account", "12 CFR 1006.14(b)(2)(i)")

US = RuleProfile(
    code="US", version="2026.1", country="US",
    window_start=time(8, 0), window_end=time(21, 0),  # 12 CFR 1006.6(b)(1)(i)
    caps=(REG_F_CALLS,),
    conversation_cooldown_days=7,  # 12 CFR 1006.14(b)(2)(ii)
    # TCPA: autodialled texts to mobiles need prior express consent, 47 CFR 64.1200(a)(1)(iii).
    consent_channels=TEXT_CHANNELS,
    opt_out_notice_channels=frozenset({EMAIL, SMS, WHATSAPP}),  # 12 CFR 1006.6(e)
    cites=("12 CFR 1006.6(b)(1)(i)", "12 CFR 1006.14(b)(2)", "12 CFR 1006.6(e)"),
)

# State rules layered over the federal baseline (1006.104: stricter state law is not pre-empted).
US_STATE_CAPS: dict[str, tuple[FrequencyCap, ...]] = {
    # 940 CMR 7.04(1)(f): at most 2 telephone communications (calls, texts) per 7 days to the debtor.
    "MA": (FrequencyCap(frozenset({VOICE, SMS, WHATSAPP}), 2, 7, "customer", "940 CMR 7.04(1)(f)"),),
    # RCW 19.16.250: at most 3 communications per week with the debtor.
    "WA": (FrequencyCap(ALL_CHANNELS, 3, 7, "customer", "RCW 19.16.250"),),
}

# New York City (amended DCWP rules), layered over US + NY like a state rule. Reference: "reported adopted
# with effect 1 Sep 2026, cap applied per account -- verify" (6 RCNY 5-77, 2-193). VERIFY the effective date
# and the per-account reading against the published rule before relying on it; enforced from today as the
# cautious choice. At most 3 contacts or attempts in any 7 days across all channels, per account; email and
# text need written, revocable consent.
NYC_CAP = FrequencyCap(ALL_CHANNELS, 3, 7, "account", "6 RCNY 5-77 (NYC DCWP; verify)")
NYC_CONSENT_CHANNELS = frozenset({EMAIL, SMS, WHATSAPP})  # 6 RCNY 5-77: written consent for email/text
# Customers whose region is this code are in New York City (the region field carries "NYC" instead of "NY").
NYC_REGION = "NYC"

UK = RuleProfile(
    code="GB", version="2026.1", country="GB",
    # CONC gives no clock hours; MCOB 13.5.3R/13.5.4G "usually 8 a.m.-9 p.m." is used as reasonable.
    window_start=time(8, 0), window_end=time(21, 0),
    # No numeric cap in CONC (unconfirmed); Reg F's 7-in-7 is borrowed as a cautious house baseline
    # against excessive calls (MCOB 13.5.4G, CONC 7.9).
    caps=(replace(REG_F_CALLS, cite="house baseline (CONC 7.9; MCOB 13.5.4G)"),),
    conversation_cooldown_days=7,
    quiet_weekdays=frozenset({6}),  # house policy: no collection contact on Sundays
    cites=("CONC 7.9", "MCOB 13.5.3R"),
)

NIGERIA = RuleProfile(
    code="NG", version="2026.1", country="NG",
    # DEON hours and caps are unconfirmed: the cautious house baseline applies (FCCPC bars harassment).
    window_start=time(8, 0), window_end=time(21, 0),
    caps=(replace(REG_F_CALLS, cite="house baseline (DEON 2025 harassment ban)"),),
    conversation_cooldown_days=7,
    quiet_weekdays=frozenset({6}),
    # NDPA ss.35-36 and CBN: written consent for processing; consent checked on every electronic channel.
    consent_channels=frozenset({SMS, WHATSAPP, EMAIL}),
    cites=("DEON 2025", "NDPA 2023 ss.35-36", "CBN Consumer Protection Regulations"),
)

DEFAULT = RuleProfile(
    code="DEFAULT", version="2026.1", country="",
    window_start=time(9, 0), window_end=time(20, 0),  # cautious: narrower than every listed law
    caps=(replace(REG_F_CALLS, cite="cautious default"),
          FrequencyCap(ALL_CHANNELS, 7, 7, "customer", "cautious default")),
    conversation_cooldown_days=7,
    quiet_weekdays=frozenset({6}),
    consent_channels=frozenset({SMS, WHATSAPP, EMAIL}),
    opt_out_notice_channels=frozenset({EMAIL, SMS, WHATSAPP}),
    cites=("cautious default",),
)

PROFILES = {"US": US, "GB": UK, "NG": NIGERIA}

# Zones a person in a country may be in, when we do not know theirs (cmt 6(b)(1)(i)-2: all of them).
COUNTRY_ZONES = {
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
           "America/Anchorage", "Pacific/Honolulu"),
    "GB": ("Europe/London",),
    "NG": ("Africa/Lagos",),
}
US_STATE_ZONES = {
    "MA": ("America/New_York",), "NY": ("America/New_York",), NYC_REGION: ("America/New_York",), "WA": ("America/Los_Angeles",),
    "CA": ("America/Los_Angeles",), "TX": ("America/Chicago", "America/Denver"),
    "FL": ("America/New_York", "America/Chicago"), "IL": ("America/Chicago",),
}


def profile_for(country: str, region: str = "") -> RuleProfile:
    """The law's profile for where the customer is; state rules merged in (the stricter wins)."""
    base = PROFILES.get((country or "").upper(), DEFAULT)
    region = (region or "").upper()
    if base is US and region == NYC_REGION:
        return replace(base, code="US-NYC", caps=base.caps + (NYC_CAP,),
                       consent_channels=base.consent_channels | NYC_CONSENT_CHANNELS,
                       cites=base.cites + ("6 RCNY 5-77", "6 RCNY 2-193"))
    if base is US and region in US_STATE_CAPS:
        return replace(base, code=f"US-{region}", caps=base.caps + US_STATE_CAPS[region],
                       cites=base.cites + tuple(c.cite for c in US_STATE_CAPS[region]))
    return base


def zones_for(time_zone: str, possible: Iterable[str], country: str, region: str) -> tuple[str, ...]:
    """Every zone the person may be in: the known one, else every candidate, else all the country's."""
    if time_zone:
        return (time_zone,)
    candidates = tuple(dict.fromkeys(z for z in possible if z))
    if candidates:
        return candidates
    country = (country or "").upper()
    if country == "US" and (region or "").upper() in US_STATE_ZONES:
        return US_STATE_ZONES[region.upper()]
    return COUNTRY_ZONES.get(country, ("UTC",))


# Region codes that are not subdivisions of the holidays library: whose holidays they keep.
HOLIDAY_SUBDIVISIONS = {("US", NYC_REGION): "NY"}


@lru_cache(maxsize=512)
def holiday_dates(country: str, subdiv: str, years: tuple[int, ...]) -> frozenset[date]:
    """Public holidays from the ``holidays`` library (not a hand-kept list), cached per place and years."""
    if not country:
        return frozenset()
    subdiv = HOLIDAY_SUBDIVISIONS.get((country.upper(), (subdiv or "").upper()), subdiv)
    try:
        found = holidays_lib.country_holidays(country, subdiv=subdiv or None, years=years)
    except NotImplementedError:
        return frozenset()
    except Exception:  # unknown subdivision: fall back to the national list
        found = holidays_lib.country_holidays(country, years=years)
    return frozenset(found.keys())


# ---- creditor tightening --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tightening:
    """What a creditor narrows: hours, extra quiet weekdays, lower limits ({channel: (limit, days)})."""

    version: str = ""
    window_start: time | None = None
    window_end: time | None = None
    quiet_weekdays: frozenset[int] = frozenset()
    channel_limits: dict[str, tuple[int, int]] = field(default_factory=dict)


def validate_tightening(profile: RuleProfile, tightening: Tightening) -> None:
    """Raise RuleLoosening if any value is looser than ``profile`` (the law)."""
    problems: dict[str, str] = {}
    if tightening.window_start is not None and tightening.window_start < profile.window_start:
        problems["window_start"] = (
            f"{tightening.window_start:%H:%M} is earlier than the law allows ({profile.window_start:%H:%M})."
        )
    if tightening.window_end is not None and tightening.window_end > profile.window_end:
        problems["window_end"] = (
            f"{tightening.window_end:%H:%M} is later than the law allows ({profile.window_end:%H:%M})."
        )
    start = tightening.window_start or profile.window_start
    end = tightening.window_end or profile.window_end
    if start >= end:
        problems["window"] = "The contact window must start before it ends."
    for channel, (limit, days) in tightening.channel_limits.items():
        if channel not in ALL_CHANNELS:
            problems[f"channel_limits.{channel}"] = "Unknown channel."
            continue
        if limit < 0 or not 1 <= days <= MAX_LIMIT_DAYS:
            problems[f"channel_limits.{channel}"] = (
                f"A limit needs a count of 0 or more over 1 to {MAX_LIMIT_DAYS} days."
            )
            continue
        for cap in profile.caps:
            if channel in cap.channels and (limit > cap.limit or (limit == cap.limit and days < cap.days)
                                            or limit * cap.days > cap.limit * days):
                problems[f"channel_limits.{channel}"] = (
                    f"{limit} in {days} days is looser than the law's {cap.limit} in {cap.days} days ({cap.cite})."
                )
    if any(d not in range(7) for d in tightening.quiet_weekdays):
        problems["quiet_weekdays"] = "Weekdays are 0 (Monday) to 6 (Sunday)."
    if problems:
        raise RuleLoosening(problems)


def apply_tightening(profile: RuleProfile, tightening: Tightening | None) -> RuleProfile:
    """The effective profile: never looser than the law even if a stale tightening slipped through."""
    if tightening is None:
        return profile
    start = max(profile.window_start, tightening.window_start or profile.window_start)
    end = min(profile.window_end, tightening.window_end or profile.window_end)
    extra = tuple(
        FrequencyCap(frozenset({ch}), limit, days, "account", "creditor policy")
        for ch, (limit, days) in sorted(tightening.channel_limits.items())
    )
    return replace(
        profile,
        window_start=start, window_end=end,
        quiet_weekdays=profile.quiet_weekdays | tightening.quiet_weekdays,
        caps=profile.caps + extra,
        version=f"{profile.version}+creditor.{tightening.version or '0'}",
    )


# ---- time arithmetic ------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``tz`` (aware)."""
    return datetime.combine(day, time(0), tzinfo=tz)


def in_window(local: datetime, start: time, end: time) -> bool:
    t = local.time()
    return start <= t < end


def next_window_open(local: datetime, start: time, end: time) -> datetime:
    """The earliest local instant >= ``local`` that is inside [start, end)."""
    t = local.time()
    if t < start:
        return datetime.combine(local.date(), start, tzinfo=local.tzinfo)
    if t >= end:
        return datetime.combine(local.date() + timedelta(days=1), start, tzinfo=local.tzinfo)
    return local
