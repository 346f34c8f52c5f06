from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import AcceptanceChannel, PromiseStatus
from .policy import MONEY


class PromiseToPay(models.Model):
    """A customer's word that they will pay an amount by a date: who took it and on which channel.
    Checked after the date; kept or broken is recorded and counted."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="promises")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    due_date = models.DateField()
    channel = models.CharField(max_length=10, choices=AcceptanceChannel.choices)
    taken_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PromiseStatus.choices, default=PromiseStatus.OPEN)
    paid_amount = models.DecimalField(**MONEY, default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive")]

    def __str__(self):
        return f"Promise {self.amount} by {self.due_date} ({self.status})"
