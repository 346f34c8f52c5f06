"""The back-end interface."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.services import contact_send_guard


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

    def deliver(self, message) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def lookup(self, message) -> SendResult | bool | None:
        return None
