"""A plain JSON-over-HTTP provider: POSTs each message to ``OUTREACH_HTTP_SINK_URL`` with our idempotency
key in the ``Idempotency-Key`` header and takes the provider id from the ``id`` of the JSON answer. The
send benchmark points it at a local sink standing in for the provider; it also fits an in-house SMS
gateway that speaks JSON.

A batch (``send_many``) is guarded in one go, then posted by a small thread pool
(``OUTREACH_HTTP_SINK_THREADS``) over one pooled keep-alive session."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from compliance import services as compliance
from compliance.services import ContactBlocked

from .base import ChannelBackend, ProviderError, SendResult, guard_refusal

_lock = threading.Lock()
_pool: dict = {}


def _threads() -> int:
    return max(1, int(getattr(settings, "OUTREACH_HTTP_SINK_THREADS", 8)))


def _session() -> requests.Session:
    """One keep-alive session per process with a connection pool as large as the thread pool (a forked
    worker child makes its own: sockets are not shared across processes)."""
    with _lock:
        if _pool.get("pid") != os.getpid():
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=_threads())
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            _pool.clear()
            _pool.update(pid=os.getpid(), session=session, executor=None)
        return _pool["session"]


def _executor() -> ThreadPoolExecutor:
    _session()
    with _lock:
        if _pool.get("executor") is None:
            _pool["executor"] = ThreadPoolExecutor(_threads(), thread_name_prefix="http-sink")
        return _pool["executor"]


class HttpSinkBackend(ChannelBackend):
    idempotent_provider = True  # the provider drops a repeated Idempotency-Key

    def send_many(self, messages) -> list[SendResult | ContactBlocked | ProviderError]:
        """Guard the whole batch (a constant number of queries), then post the allowed ones concurrently."""
        messages = list(messages)
        verdicts = compliance.contact_send_guard_many(attempts=[m.contact_attempt for m in messages
                                                                if m.contact_attempt is not None])
        refused = {m.pk: refusal for m in messages if (refusal := guard_refusal(m, verdicts)) is not None}
        allowed = [m for m in messages if m.pk not in refused]
        answers = dict(zip((m.pk for m in allowed), _executor().map(self._try_deliver, allowed), strict=True))
        return [refused.get(m.pk) or answers[m.pk] for m in messages]

    def _try_deliver(self, message) -> SendResult | ProviderError:
        try:
            return self.deliver(message)
        except ProviderError as exc:
            return exc

    def deliver(self, message) -> SendResult:
        url = settings.OUTREACH_HTTP_SINK_URL
        if not url:
            raise ProviderError("OUTREACH_HTTP_SINK_URL is not set.", retryable=False, code="not_configured")
        payload = {"channel": message.channel, "to": message.to_address, "from": message.from_address,
                   "subject": message.subject, "body": message.body, "reference": str(message.pk)}
        try:
            response = _session().post(url, json=payload, timeout=10,
                                       headers={"Idempotency-Key": message.idempotency_key})
        except requests.Timeout as exc:
            raise ProviderError("The provider did not answer in time.", code="timeout") from exc
        except requests.RequestException as exc:
            raise ProviderError(f"Could not reach the provider ({exc.__class__.__name__}).", code="connection") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError(f"The provider is having trouble (HTTP {response.status_code}).",
                                code=str(response.status_code))
        if response.status_code >= 400:
            raise ProviderError(f"The provider refused the message (HTTP {response.status_code}).", retryable=False,
                                code=str(response.status_code))
        try:
            provider_id = str(response.json()["id"])[:120]
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError("The provider's answer had no id.", code="bad_answer") from exc
        return SendResult(provider_message_id=provider_id, provider_status="sent")
