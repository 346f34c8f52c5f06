"""Provider webhooks: Twilio's delivery status callback and inbound SMS/WhatsApp, and inbound email.
Each checks who is calling first (Twilio's signature; the inbound-email shared secret): a bad or missing
proof gets 403 and an audit entry, and nothing else happens. Then one service call."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from collections_crm.history import system_user
from compliance.audit import audit_record

from . import twilio_client
from .services.delivery import message_delivery_update
from .services.inbound import inbound_receive

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _forged(request, *, provider: str, reason: str) -> HttpResponseForbidden:
    with transaction.atomic():
        audit_record(actor=system_user(), action="webhook.forged", payload={
            "provider": provider, "path": request.path[:200], "reason": reason,
            "bytes": int(request.headers.get("Content-Length") or 0),
        })
    return HttpResponseForbidden("Signature could not be verified.")


def twilio_request_valid(request) -> bool:
    """Twilio signs the exact URL it called. Behind a proxy that is the public URL, so try that first,
    then the URL as this server saw it."""
    signature = request.headers.get("X-Twilio-Signature", "")
    params = request.POST.dict()
    candidates = [settings.PUBLIC_BASE_URL.rstrip("/") + request.get_full_path(), request.build_absolute_uri()]
    return any(twilio_client.signature_valid(url=url, params=params, signature=signature) for url in candidates)


def _message_id(request) -> int | None:
    raw = request.GET.get("m", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@csrf_exempt
@require_POST
def twilio_status(request):
    """Twilio's StatusCallback for a message we sent: updates its delivery status."""
    if not twilio_request_valid(request):
        return _forged(request, provider="twilio", reason="bad or missing X-Twilio-Signature")
    message_delivery_update(
        provider_message_id=request.POST.get("MessageSid", "")[:120],
        provider_status=request.POST.get("MessageStatus", "") or request.POST.get("SmsStatus", ""),
        error_code=request.POST.get("ErrorCode", "")[:10], message_id=_message_id(request),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request):
    """Twilio's incoming-message webhook for SMS and WhatsApp (configure it on the number/sender)."""
    if not twilio_request_valid(request):
        return _forged(request, provider="twilio", reason="bad or missing X-Twilio-Signature")
    sender = request.POST.get("From", "")
    channel = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    inbound_receive(
        channel=channel, from_address=sender[:260], to_address=request.POST.get("To", "")[:260],
        body=request.POST.get("Body", "")[:5000],
        provider_message_id=(request.POST.get("MessageSid") or request.POST.get("SmsMessageSid") or "")[:120],
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def _email_payload(request) -> dict | None:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    return request.POST.dict()


@csrf_exempt
@require_POST
def email_inbound(request):
    """Inbound email as providers post it (SendGrid Inbound Parse, Mailgun routes…): JSON or a form with
    ``from``, ``to``, ``subject``, ``text`` and optionally ``message_id``; authenticated by the shared
    secret ``OUTREACH_INBOUND_EMAIL_SECRET`` in the ``X-Inbound-Secret`` header."""
    secret = settings.OUTREACH_INBOUND_EMAIL_SECRET
    given = request.headers.get("X-Inbound-Secret", "")
    if not secret or not constant_time_compare(given, secret):
        return _forged(request, provider="email", reason="bad or missing X-Inbound-Secret")
    data = _email_payload(request)
    if data is None or not str(data.get("from") or "").strip():
        return JsonResponse({"detail": "Send JSON or a form with at least 'from' and 'text'."}, status=400)
    message = inbound_receive(
        channel="email", from_address=str(data.get("from", ""))[:320], to_address=str(data.get("to", ""))[:320],
        subject=str(data.get("subject", ""))[:300], body=str(data.get("text") or data.get("body") or "")[:20000],
        provider_message_id=str(data.get("message_id") or data.get("Message-Id") or "")[:120] or None,
    )
    return JsonResponse({"received": True, "matched": message.customer_id is not None})
