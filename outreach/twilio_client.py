"""The one module that imports ``twilio``: sending SMS/WhatsApp and checking the signature on Twilio's
webhooks. Everything else calls these functions."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

REQUEST_TIMEOUT_SECONDS = 10
# Twilio error codes that will not get better by trying again (bad number, opted out at the carrier,
# not a WhatsApp user, outside WhatsApp's 24-hour window, unverified sender).
PERMANENT_ERRORS = frozenset({21211, 21408, 21610, 21612, 21614, 63003, 63016, 21606, 21659})


@dataclass(frozen=True)
class TwilioSend:
    sid: str
    status: str


class TwilioFailure(Exception):
    def __init__(self, message: str, *, retryable: bool, code: str = ""):
        super().__init__(message)
        self.message, self.retryable, self.code = message, retryable, code


def _http_client():
    path = getattr(settings, "OUTREACH_TWILIO_HTTP_CLIENT", "")
    if path:  # tests answer Twilio's HTTP layer with recorded responses
        return import_string(path)()
    return TwilioHttpClient(timeout=REQUEST_TIMEOUT_SECONDS)


def client() -> Client:
    if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
        raise TwilioFailure("Twilio is not configured (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN).", retryable=False,
                            code="not_configured")
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=_http_client())


def send(*, to: str, from_: str, body: str, status_callback: str = "") -> TwilioSend:
    """Create one message. Raises ``TwilioFailure`` (retryable or not) with a plain message."""
    kwargs = {"to": to, "from_": from_, "body": body}
    if status_callback:
        kwargs["status_callback"] = status_callback
    try:
        created = client().messages.create(**kwargs)
    except TwilioRestException as exc:
        retryable = exc.status == 429 or exc.status >= 500
        if exc.code in PERMANENT_ERRORS:
            retryable = False
        raise TwilioFailure(f"Twilio refused the message (error {exc.code or exc.status}).", retryable=retryable,
                            code=str(exc.code or exc.status)) from exc
    except requests.Timeout as exc:
        raise TwilioFailure("Twilio did not answer in time.", retryable=True, code="timeout") from exc
    except (requests.RequestException, TwilioException) as exc:
        raise TwilioFailure(f"Could not reach Twilio ({exc.__class__.__name__}).", retryable=True,
                            code="connection") from exc
    return TwilioSend(sid=created.sid, status=created.status or "queued")


def signature_valid(*, url: str, params: dict, signature: str) -> bool:
    """Twilio's X-Twilio-Signature over the exact URL it called and the POSTed parameters."""
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)


def signature_for(*, url: str, params: dict) -> str:
    """The signature Twilio would send (the dev outbox uses it to simulate callbacks faithfully)."""
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
