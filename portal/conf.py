"""Portal settings with their defaults (override in Django settings or the environment)."""

from django.conf import settings


def idle_minutes() -> int:
    return getattr(settings, "PORTAL_IDLE_MINUTES", 30)


def max_hours() -> int:
    return getattr(settings, "PORTAL_MAX_HOURS", 4)


def max_failures_per_link() -> int:
    return getattr(settings, "PORTAL_VERIFY_MAX_FAILURES", 5)


def max_failures_per_ip() -> int:
    return getattr(settings, "PORTAL_VERIFY_MAX_FAILURES_PER_IP", 20)


def lockout_minutes() -> int:
    return getattr(settings, "PORTAL_LOCKOUT_MINUTES", 30)


def upload_max_bytes() -> int:
    return getattr(settings, "PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def code_minutes() -> int:
    return getattr(settings, "PORTAL_CODE_MINUTES", 10)
