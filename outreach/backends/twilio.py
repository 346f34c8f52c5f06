"""SMS and WhatsApp through Twilio (``outreach.twilio_client``). Our message id rides on the status
callback URL, so a delivery report can settle a message whose worker died before it saved Twilio's id."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .. import twilio_client
from .base import ChannelBackend, ProviderError, SendResult


def status_callback_url(message) -> str:
    base = settings.TWILIO_STATUS_CALLBACK_URL or (
        settings.PUBLIC_BASE_URL.rstrip("/") + reverse("outreach:twilio-status")
    )
    return f"{base}?m={message.pk}"


def _address(channel: str, number: str) -> str:
    return f"whatsapp:{number}" if channel == "whatsapp" and not number.startswith("whatsapp:") else number


class TwilioBackend(ChannelBackend):
    def deliver(self, message) -> SendResult:
        sender = message.from_address or (
            settings.TWILIO_WHATSAPP_FROM if message.channel == "whatsapp" else settings.TWILIO_SMS_FROM
        )
        try:
            sent = twilio_client.send(
                to=_address(message.channel, message.to_address), from_=_address(message.channel, sender),
                body=message.body, status_callback=status_callback_url(message),
            )
        except twilio_client.TwilioFailure as exc:
            raise ProviderError(exc.message, retryable=exc.retryable, code=exc.code) from exc
        return SendResult(provider_message_id=sent.sid, provider_status=sent.status)
