"""Choices for outreach: what a message is for and where a template stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    FRIENDLY_REMINDER = "friendly_reminder", _("Friendly reminder")
    PRE_DUE_NUDGE = "pre_due_nudge", _("Pre-due nudge")
    FIRST_MISS_CHECKIN = "first_miss_checkin", _("Check-in after a first missed payment")
    PLAN_OFFER = "plan_offer", _("Plan offer")
    PLAN_CONFIRMATION = "plan_confirmation", _("Plan confirmation")
    INSTALMENT_DUE = "instalment_due", _("Instalment due")
    CARD_EXPIRING = "card_expiring", _("Card expiring")
    PAYMENT_RECEIPT = "payment_receipt", _("Payment receipt")
    DISPUTE_ACKNOWLEDGEMENT = "dispute_acknowledgement", _("Dispute acknowledgement")
    CALLBACK_CONFIRMATION = "callback_confirmation", _("Callback confirmation")
    SEASONAL_CARE = "seasonal_care", _("Seasonal care message")
    OPT_OUT_CONFIRMATION = "opt_out_confirmation", _("Opt-out confirmation")
    VERIFICATION_CODE = "verification_code", _("One-time code the customer asked for")


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


class Severity(models.TextChoices):
    BLOCK = "block", _("Must fix")
    WARN = "warn", _("Worth a look")
    INFO = "info", _("Note")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound")
    INBOUND = "inbound", _("Inbound")


class MessageStatus(models.TextChoices):
    """Where a message stands. Outbound: queued → sending → sent → delivered / undelivered, or failed;
    blocked (the gate said no; ``next_allowed_at`` says when to try again) and cancelled (stopped
    before it left, e.g. an opt-out). Inbound messages are ``received``."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Blocked by the contact rules")
    CANCELLED = "cancelled", _("Cancelled")
    RECEIVED = "received", _("Received")


# The state machine: from → the states it may move to. Anything else is refused.
MESSAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    MessageStatus.QUEUED: frozenset({MessageStatus.SENDING, MessageStatus.CANCELLED, MessageStatus.FAILED}),
    # sending → queued: a provider error that will be retried (nothing left).
    MessageStatus.SENDING: frozenset(
        {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.QUEUED, MessageStatus.CANCELLED,
         MessageStatus.DELIVERED, MessageStatus.UNDELIVERED}
    ),
    MessageStatus.SENT: frozenset({MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.FAILED}),
    # Providers sometimes report "undelivered" then "delivered" (or the reverse) out of order.
    MessageStatus.DELIVERED: frozenset({MessageStatus.UNDELIVERED}),
    MessageStatus.UNDELIVERED: frozenset({MessageStatus.DELIVERED}),
    MessageStatus.FAILED: frozenset(),
    MessageStatus.BLOCKED: frozenset(),
    MessageStatus.CANCELLED: frozenset(),
    MessageStatus.RECEIVED: frozenset(),
}


class MessageSource(models.TextChoices):
    CADENCE = "cadence", _("Cadence")
    CAMPAIGN = "campaign", _("Campaign")
    AGENT = "agent", _("Agent")
    PROACTIVE = "proactive", _("Proactive reminder")
    SYSTEM = "system", _("System")
    INBOUND = "inbound", _("Inbound")


class CallOutcome(models.TextChoices):
    SPOKE_TO_CUSTOMER = "spoke_to_customer", _("Spoke to the customer")
    PROMISE_MADE = "promise_made", _("Customer promised to pay")
    LEFT_VOICEMAIL = "left_voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    NOT_CONNECTED = "not_connected", _("Did not connect (busy or network)")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Customer refused to talk")
    CALLBACK_REQUESTED = "callback_requested", _("Customer asked for a call back")
    DISPUTE_RAISED = "dispute_raised", _("Customer disputed the debt")

    @classmethod
    def conversations(cls) -> frozenset[str]:
        """Outcomes where we reached and spoke with the person (Reg F 1006.14(b)(2)(i)(B) cooldown)."""
        return frozenset({cls.SPOKE_TO_CUSTOMER, cls.PROMISE_MADE, cls.REFUSED, cls.CALLBACK_REQUESTED,
                          cls.DISPUTE_RAISED})


class Classification(models.TextChoices):
    """What an inbound message is about (outreach/classify.py)."""

    OPT_OUT = "opt_out", _("Opt-out")
    DISPUTE = "dispute", _("Dispute")
    HARDSHIP = "hardship", _("Hardship")
    PROMISE = "promise", _("Promise to pay")
    COMPLAINT = "complaint", _("Complaint or distress")
    CALLBACK = "callback", _("Callback request")
    QUESTION = "question", _("Question")
    UNKNOWN = "unknown", _("Not recognised")
