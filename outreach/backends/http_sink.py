"""A plain JSON-over-HTTP provider: POSTs each message to ``OUTREACH_HTTP_SINK_URL`` with our idempotency
key in the ``Idempotency-Key`` header and takes the provider id from the ``id`` of the JSON answer. The
send benchmark points it at a local sink standing in for the provider; it also fits an in-house SMS
gateway that speaks JSON."""

from __future__ import annotations

import threading

import requests
from django.conf import settings

from .base import ChannelBackend, ProviderError, SendResult

_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


class HttpSinkBackend(ChannelBackend):
    idempotent_provider = True  # the provider drops a repeated Idempotency-Key

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
