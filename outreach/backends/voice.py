"""Voice: no dialer. "Sending" a call hands it to an agent as a call task (the message, status sent,
with no outcome yet: ``Message.awaiting_call``); the agent rings and logs it with
``outreach.services.call_log``, which completes the contact attempt."""

from __future__ import annotations

from .base import ChannelBackend, SendResult


class CallTaskBackend(ChannelBackend):
    idempotent_provider = True

    def deliver(self, message) -> SendResult:
        return SendResult(provider_message_id=f"call-task-{message.pk}", provider_status="call_task")

    def lookup(self, message):
        return False  # nothing left the building; handing it over again is harmless
