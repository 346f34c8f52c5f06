from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import AcceptanceChannel, Frequency, InstalmentStatus, PlanKind, PlanStatus
from .policy import MONEY


class InstalmentPlan(models.Model):
    """An agreement to pay the balance (less any deferred part) in instalments. Its terms are
    generated in plain words in the customer's language, shown before acceptance, and stored with it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.PROPOSED)
    kind = models.CharField(max_length=10, choices=PlanKind.choices, default=PlanKind.STANDARD)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    total = models.DecimalField(**MONEY)
    deferred_amount = models.DecimalField(**MONEY, default=0)
    currency = models.CharField(max_length=3)
    terms_text = models.TextField()
    terms_language = models.CharField(max_length=5)
    outside_policy = models.BooleanField(default=False)
    policy_reasons = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_channel = models.CharField(max_length=10, choices=AcceptanceChannel.choices, blank=True)
    accepted_ip = models.GenericIPAddressField(null=True, blank=True)
    autopay_method = models.ForeignKey(
        "payments.SavedPaymentMethod", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    broken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive"),
            models.CheckConstraint(condition=Q(deferred_amount__gte=0), name="plan_deferred_nonneg"),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ACTIVE) | Q(accepted_at__isnull=False),
                name="plan_active_was_accepted",
            ),
            models.UniqueConstraint(
                fields=["account"], condition=Q(status=PlanStatus.ACTIVE), name="plan_one_active_per_account"
            ),
        ]

    def __str__(self):
        return f"Plan {self.pk} for {self.account_id} ({self.status})"


class Instalment(models.Model):
    """One scheduled amount on one date. ``paid_amount`` moves only through allocations."""

    plan = models.ForeignKey(InstalmentPlan, on_delete=models.PROTECT, related_name="instalments")
    seq = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount = models.DecimalField(**MONEY)
    paid_amount = models.DecimalField(**MONEY, default=0)
    status = models.CharField(max_length=10, choices=InstalmentStatus.choices, default=InstalmentStatus.DUE)
    reminded_at = models.DateTimeField(null=True, blank=True)
    retry_count = models.PositiveSmallIntegerField(default=0)
    next_retry_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="instalment_unique_seq"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0, paid_amount__lte=F("amount")), name="instalment_paid_within_amount"
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.amount} on {self.due_date}"

    @property
    def outstanding(self):
        return self.amount - self.paid_amount
