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


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


class Severity(models.TextChoices):
    BLOCK = "block", _("Must fix")
    WARN = "warn", _("Worth a look")
    INFO = "info", _("Note")
