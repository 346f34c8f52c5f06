from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import AcceptanceChannel, SettlementStatus
from .policy import MONEY


class Settlement(models.Model):
    """A lump sum, at a discount, that closes the account as settled (not paid in full) once paid.
    Below the creditor's floor it needs a supervisor's approval. Terms stored with the acceptance."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="settlements")
    status = models.CharField(max_length=20, choices=SettlementStatus.choices, default=SettlementStatus.OFFERED)
    balance_at_offer = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    expires_on = models.DateField()
    terms_text = models.TextField()
    terms_language = models.CharField(max_length=5)
    below_floor = models.BooleanField(default=False)
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_channel = models.CharField(max_length=10, choices=AcceptanceChannel.choices, blank=True)
    accepted_ip = models.GenericIPAddressField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("balance_at_offer")), name="settlement_within_balance"
            ),
        ]

    def __str__(self):
        return f"Settlement {self.amount} {self.currency} ({self.status})"
