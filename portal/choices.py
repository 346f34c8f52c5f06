"""Choices for the customer portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationMethod(models.TextChoices):
    DATE_OF_BIRTH = "dob", _("Date of birth and account reference")
    POSTCODE = "postcode", _("Postcode and account reference")
    ONE_TIME_CODE = "code", _("One-time code")


class SessionEnd(models.TextChoices):
    LEFT = "left", _("Customer left")
    EXPIRED = "expired", _("Expired")
    LOCKED = "locked", _("Locked after failed checks")


class CallbackSlot(models.TextChoices):
    MORNING = "morning", _("Morning (9am–12pm)")
    AFTERNOON = "afternoon", _("Afternoon (12pm–5pm)")
    EVENING = "evening", _("Evening (5pm–8pm)")
