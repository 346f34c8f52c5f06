"""Holds that stop some or all contact with a customer or on one account."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import HoldKind, HoldStatus


class Hold(models.Model):
    """A dispute, cease-communication, attorney, bankruptcy, deceased or hardship-pause hold. With an
    account it covers that debt; without, every account of the customer. ``ends_at`` makes it expire."""

    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="holds")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="holds"
    )
    kind = models.CharField(max_length=20, choices=HoldKind.choices)
    status = models.CharField(max_length=8, choices=HoldStatus.choices, default=HoldStatus.ACTIVE)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["customer", "status"]), models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HoldKind.values), name="hold_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=HoldStatus.values), name="hold_status_valid"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="hold_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind=HoldKind.HARDSHIP_PAUSE) | Q(ends_at__isnull=False), name="hold_hardship_has_end"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} hold on {self.account or self.customer}"

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A hold must end after it starts."})
        if self.kind == HoldKind.HARDSHIP_PAUSE and not self.ends_at:
            raise ValidationError({"ends_at": "A hardship pause needs an end date."})
        if self.account_id and self.customer_id and self.account.customer_id != self.customer_id:
            raise ValidationError({"account": "The account belongs to another customer."})
