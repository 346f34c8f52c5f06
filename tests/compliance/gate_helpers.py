"""Builders for pure gate contexts (no database)."""

from datetime import UTC, datetime, time, timedelta

from compliance.gate import ConsentState, GateContext, Preferences
from compliance.rules import holiday_dates, profile_for, zones_for

ALL_POINTS = frozenset({"email", "sms", "whatsapp", "voice"})
GRANTED_ALL = {ch: ConsentState("granted", datetime(2025, 1, 1, tzinfo=UTC)) for ch in ALL_POINTS}


def make_context(*, country="US", region="", zones=("America/New_York",), account_id=1, consents=None,
                 holds=(), history=(), preferences=None, closed=False, tightening=None, points=ALL_POINTS,
                 years=(2025, 2026, 2027)):
    return GateContext(
        profile=profile_for(country, region),
        zones=tuple(zones) or zones_for("", (), country, region),
        account_id=account_id,
        tightening=tightening,
        holidays=holiday_dates(country, region, tuple(years)),
        preferences=preferences or Preferences(),
        consents=GRANTED_ALL if consents is None else consents,
        holds=tuple(holds),
        history=tuple(history),
        contact_points=points,
        account_closed=closed,
    )


def plain_tuesday_noon_lagos(weeks_ahead: int = 0) -> datetime:
    """A Tuesday after now (records are stamped with the real clock), not a Nigerian public holiday."""
    day = datetime.now(UTC).date() + timedelta(days=1 + 7 * weeks_ahead)
    while day.weekday() != 1 or day in holiday_dates("NG", "", (day.year,)):
        day += timedelta(days=1)
    return datetime.combine(day, time(11), tzinfo=UTC)  # 12:00 in Lagos


LAGOS_NOON = plain_tuesday_noon_lagos()
