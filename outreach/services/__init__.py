"""Writes for outreach, split by subdomain: templates, messages and calls, pay links (and, in their
own modules, sending and inbound). Import from here."""

from .calls import call_log
from .delivery import message_delivery_update
from .inbound import inbound_receive
from .messages import gate_purpose, message_queue, message_transition
from .paylinks import pay_link_create, pay_link_mark_used, pay_link_revoke
from .templates import (
    message_template_approve,
    message_template_create,
    message_template_retire,
    message_template_update,
)

__all__ = [
    "call_log",
    "gate_purpose",
    "inbound_receive",
    "message_delivery_update",
    "message_queue",
    "message_template_approve",
    "message_template_create",
    "message_template_retire",
    "message_template_update",
    "message_transition",
    "pay_link_create",
    "pay_link_mark_used",
    "pay_link_revoke",
]
