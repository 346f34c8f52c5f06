"""The back-end interface."""

from __future__ import annotations

from dataclasses import dataclass

from compliance import services as compliance
from compliance.services import ContactBlocked, contact_send_guard


@dataclass(frozen=True)
class SendResult:
    """What the provider said: its id for the message and its first status."""

    provider_message_id: str
    provider_status: str = "sent"


class ProviderError(Exception):
    """The provider refused or could not be reached. ``retryable``: worth trying again later."""

    def __init__(self, message: str, *, retryable: bool = True, code: str = ""):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code


def guard_refusal(message, verdicts: dict) -> ContactBlocked | None:
    """The guard's answer for ``message`` from ``contact_send_guard_many``'s verdicts (None: may send)."""
    if message.contact_attempt is None:
        return ContactBlocked("This message has no contact-gate decision.", {"reason": "no_decision"})
    return verdicts.get(message.contact_attempt.pk)


class ChannelBackend:
    """Subclasses implement ``deliver`` (hand the message to the provider) and may implement ``lookup``
    (ask the provider whether a message with this idempotency key already went: a SendResult if so,
    False if it certainly did not, None when the provider cannot tell)."""

    #: The provider deduplicates on our idempotency key, so a second deliver() of the same message is
    #: harmless (used when reconciling a message a dead worker left in "sending").
    idempotent_provider = False

    def send(self, message) -> SendResult:
        """The one entry point: the contact gate's guard first (no allowed, still-reserved attempt →
        ``ContactBlocked``), then the provider."""
        contact_send_guard(attempt=message.contact_attempt)
        return self.deliver(message)

    def send_many(self, messages) -> list[SendResult | ContactBlocked | ProviderError]:
        """``send`` for each message, in order: its SendResult, or the ContactBlocked / ProviderError it
        raised (one message's problem does not stop the others). The guard is asked for every message
        (in one go), then each allowed one is delivered. Back-ends that can deliver a batch faster
        override this, still asking the guard for every message first."""
        messages = list(messages)
        verdicts = compliance.contact_send_guard_many(attempts=[m.contact_attempt for m in messages
                                                     if m.contact_attempt is not None])
        answers = []
        for message in messages:
            refusal = guard_refusal(message, verdicts)
            if refusal is not None:
                answers.append(refusal)
                continue
            try:
                answers.append(self.deliver(message))
            except ProviderError as exc:
                answers.append(exc)
        return answers

    def deliver(self, message) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def lookup(self, message) -> SendResult | bool | None:
        return None
