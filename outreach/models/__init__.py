"""Models for outreach: message templates, messages (every interaction), pay links and cadences."""

# Cadences live in their own package (split by subdomain); importing registers them with this app.
from ..cadences.models import (
    Cadence,
    CadenceDelivery,
    CadenceDispatch,
    CadenceEnrolment,
    CadenceStep,
    Campaign,
)
from .messages import Message
from .outbox import DevOutboxEntry
from .paylinks import PayLink
from .templates import MessageTemplate

__all__ = ["Cadence", "CadenceDelivery", "CadenceDispatch", "CadenceEnrolment", "CadenceStep", "Campaign", "DevOutboxEntry", "Message", "MessageTemplate", "PayLink"]
