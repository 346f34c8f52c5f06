"""Models for outreach: message templates, messages (every interaction), pay links and cadences."""

# Cadences live in their own package (split by subdomain); importing registers them with this app.
from ..cadences.models import Cadence, CadenceEnrolment, CadenceStep
from .messages import Message
from .outbox import DevOutboxEntry
from .paylinks import PayLink
from .templates import MessageTemplate

__all__ = ["Cadence", "CadenceEnrolment", "CadenceStep", "DevOutboxEntry", "Message", "MessageTemplate", "PayLink"]
