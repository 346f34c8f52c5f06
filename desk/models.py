"""What the desk adds to a case: notes, and requests for a supervisor's decision. Plans outside policy
and settlements below the floor wait for approval in payments itself; the approvals inbox shows both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import ApprovalKind, ApprovalStatus


class CaseNote(models.Model):
    """A note an agent or supervisor wrote on a case. Personal data may be in it: it lives here (history,
    retention), never in the audit payload."""

    case = models.ForeignKey("accounts.Case", on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self):
        return f"Note {self.pk} on case {self.case_id}"


class ApprovalRequest(models.Model):
    """An agent asks a supervisor to decide: a dispute outcome in the customer's favour, a write-off, or
    anything else. Approving carries the decision out through the owning service."""

    case = models.ForeignKey("accounts.Case", on_delete=models.PROTECT, related_name="approval_requests")
    kind = models.CharField(max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    dispute = models.ForeignKey("compliance.Dispute", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="approval_requests")
    proposed_outcome = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["status", "requested_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ApprovalKind.values), name="approval_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ApprovalStatus.values), name="approval_status_valid"),
            models.CheckConstraint(
                condition=~Q(kind=ApprovalKind.DISPUTE_OUTCOME) | Q(dispute__isnull=False),
                name="approval_dispute_outcome_names_dispute",
            ),
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(status=ApprovalStatus.PENDING),
                                    name="approval_one_pending_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for case {self.case_id} ({self.status})"
