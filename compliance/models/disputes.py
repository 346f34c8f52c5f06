"""Disputes: what the customer says is wrong, the evidence, and how it was resolved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import DisputeReason, DisputeSource, DisputeStatus


class Dispute(models.Model):
    """A customer's dispute of a debt (or part of it). While open, collection of the disputed amount is
    paused by a dispute hold (12 CFR 1006.38(c)); the case goes to a person."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="disputes")
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="disputes")
    reason = models.CharField(max_length=16, choices=DisputeReason.choices)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=DisputeSource.choices)
    disputed_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Empty: the whole balance."
    )
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    sla_due_at = models.DateTimeField()
    hold = models.OneToOneField("compliance.Hold", on_delete=models.PROTECT, related_name="dispute", null=True)
    verification_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "sla_due_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=DisputeReason.values), name="dispute_reason_valid"),
            models.CheckConstraint(condition=Q(status__in=DisputeStatus.values), name="dispute_status_valid"),
            models.CheckConstraint(
                condition=Q(disputed_amount__isnull=True) | Q(disputed_amount__gt=0), name="dispute_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[DisputeStatus.OPEN, DisputeStatus.VERIFYING]) | Q(resolved_at__isnull=False),
                name="dispute_resolved_has_time",
            ),
        ]

    def __str__(self):
        return f"Dispute {self.pk} on {self.account} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status not in DisputeStatus.resolved_states()


class DisputeEvidence(models.Model):
    """A file the customer or an agent uploaded for a dispute."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="disputes/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.name
