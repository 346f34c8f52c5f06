"""Choices for the agent desk: approval requests and call direction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalKind(models.TextChoices):
    DISPUTE_OUTCOME = "dispute_outcome", _("Dispute outcome")
    WRITE_OFF = "write_off", _("Write-off")
    OTHER = "other", _("Other decision")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CallDirection(models.TextChoices):
    OUTBOUND = "outbound", _("We called the customer")
    INBOUND = "inbound", _("The customer called us")
