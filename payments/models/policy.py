from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 14, "decimal_places": 2}


def _default_frequencies():
    return ["weekly", "fortnightly", "monthly", "custom"]


def _default_retry_offsets():
    return [3, 7]


def _default_short_plan_buckets():
    return ["current", "1-30", "31-60"]


class PaymentPolicy(models.Model):
    """A creditor's rules for plans, settlements and retries. Amount limits that already live on the
    creditor (minimum instalment, longest term, settlement floor) are read from there."""

    creditor = models.OneToOneField("accounts.Creditor", on_delete=models.PROTECT, related_name="payment_policy")
    min_payment_amount = models.DecimalField(
        **MONEY, default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Smallest one-off payment accepted."),
    )
    allowed_frequencies = models.JSONField(default=_default_frequencies)
    max_deferral_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        help_text=_("Share of the balance that may be left out of a plan, to be agreed later."),
    )
    short_plan_max_instalments = models.PositiveSmallIntegerField(default=3)
    short_plan_buckets = models.JSONField(default=_default_short_plan_buckets)
    short_plan_max_balance = models.DecimalField(**MONEY, null=True, blank=True)
    short_plan_min_tenure_days = models.PositiveIntegerField(default=0)
    short_plan_max_broken_plans = models.PositiveSmallIntegerField(default=0)
    grace_days = models.PositiveSmallIntegerField(default=3)
    retry_offsets_days = models.JSONField(default=_default_retry_offsets)
    reminder_days_before = models.PositiveSmallIntegerField(default=3)
    settlement_allowed = models.BooleanField(default=True)
    settlement_offer_days = models.PositiveSmallIntegerField(default=14)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "payment policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_deferral_percent__gte=0, max_deferral_percent__lte=100),
                name="policy_deferral_percent_range",
            ),
            models.CheckConstraint(condition=Q(min_payment_amount__gte=0), name="policy_min_payment_nonneg"),
        ]

    def __str__(self):
        return f"Payment policy for {self.creditor}"
