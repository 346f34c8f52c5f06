"""The dev back-end: "sends" by storing the message in the dev outbox (``/dev/outbox/``), where a
developer can read it and simulate a reply or a delivery report. The embedded default uses it for SMS,
WhatsApp and email."""

from __future__ import annotations

import uuid

from .base import ChannelBackend, SendResult


class DevOutboxBackend(ChannelBackend):
    idempotent_provider = True

    def deliver(self, message) -> SendResult:
        from ..models import DevOutboxEntry

        entry, _created = DevOutboxEntry.objects.get_or_create(
            idempotency_key=message.idempotency_key,
            defaults={
                "message_id": message.pk, "channel": message.channel, "to_address": message.to_address,
                "from_address": message.from_address, "subject": message.subject, "body": message.body,
                "provider_message_id": f"DEV{uuid.uuid4().hex[:29]}",
            },
        )
        return SendResult(provider_message_id=entry.provider_message_id, provider_status="sent")

    def lookup(self, message):
        from ..models import DevOutboxEntry

        entry = DevOutboxEntry.objects.filter(idempotency_key=message.idempotency_key).first()
        if entry is None:
            return False
        return SendResult(provider_message_id=entry.provider_message_id, provider_status="sent")
