"""Models for outreach: message templates, messages (every interaction) and pay links."""

from .messages import Message
from .outbox import DevOutboxEntry
from .paylinks import PayLink
from .templates import MessageTemplate

__all__ = ["DevOutboxEntry", "Message", "MessageTemplate", "PayLink"]
