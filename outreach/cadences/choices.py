"""Choices for cadences, enrolments and campaigns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepAnchor(models.TextChoices):
    """What a step's offset in days counts from."""

    PLACEMENT = "placement", _("Placement")
    DUE_DATE = "due_date", _("Due date")
    LAST_CONTACT = "last_contact", _("Last contact")


class StepChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    VOICE = "voice", _("Phone call")
    PREFERRED = "preferred", _("The customer's preferred channel")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    EXITED = "exited", _("Left the cadence")


class ExitReason(models.TextChoices):
    """Why a case left its cadence. Listed in the order they are checked: the first that applies wins."""

    PAID_IN_FULL = "paid_in_full", _("Paid in full")
    ACCOUNT_CLOSED = "account_closed", _("Account or case closed")
    DISPUTE = "dispute", _("Dispute")
    HOLD = "hold", _("On hold")
    PLAN_ACCEPTED = "plan_accepted", _("Plan accepted")
    OPT_OUT = "opt_out", _("Opted out of the step's channel")
    ROUTED_TO_HUMAN = "routed_to_human", _("Routed to a person")
    CADENCE_INACTIVE = "cadence_inactive", _("Cadence switched off")
    REENROLLED = "reenrolled", _("Moved to another cadence")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")


class DeliveryOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    BLOCKED = "blocked", _("Blocked by the contact rules")
    SKIPPED = "skipped", _("Skipped")
