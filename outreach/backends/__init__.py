"""Channel back-ends behind one interface (like Django's email back-ends). ``settings.OUTREACH_BACKENDS``
maps each channel to a dotted path; ``backend_for(channel)`` gives the instance. Every back-end's
``send`` calls ``compliance.services.contact_send_guard`` first and refuses otherwise."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ChannelBackend, ProviderError, SendResult


@lru_cache(maxsize=16)
def _load(path: str) -> ChannelBackend:
    return import_string(path)()


def backend_for(channel: str) -> ChannelBackend:
    path = settings.OUTREACH_BACKENDS.get(channel)
    if not path:
        raise ProviderError(f"No back-end is configured for {channel}.", retryable=False)
    return _load(path)


def reset_backends() -> None:
    """Forget loaded back-ends (tests that change settings.OUTREACH_BACKENDS)."""
    _load.cache_clear()


__all__ = ["ChannelBackend", "ProviderError", "SendResult", "backend_for", "reset_backends"]
