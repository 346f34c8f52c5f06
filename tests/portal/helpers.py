"""Small helpers shared by the portal tests."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def weekday_noon_lagos() -> datetime:
    """A lawful, ordinary moment for Nigerian customers: next Tuesday 12:00 in Lagos."""
    now = timezone.now().astimezone(ZoneInfo("Africa/Lagos"))
    day = now + timedelta(days=(1 - now.weekday()) % 7 or 7)
    return day.replace(hour=12, minute=0, second=0, microsecond=0)


def page_text(response) -> str:
    return response.content.decode()
