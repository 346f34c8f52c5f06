from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import (
    AllocationKind,
    CheckoutStatus,
    CreditStatus,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ReversalKind,
)
from .policy import MONEY


class CheckoutSession(models.Model):
    """A pay link the customer opens: one per (account, client idempotency key), so a double click on
    'pay' finds the same session instead of making a second one."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="checkout_sessions")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    provider_session_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(max_length=80)
    purpose = models.CharField(max_length=12, choices=PaymentPurpose.choices, default=PaymentPurpose.ONE_OFF)
    plan = models.ForeignKey(
        "payments.InstalmentPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="checkout_sessions"
    )
    settlement = models.ForeignKey(
        "payments.Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="checkout_sessions"
    )
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=10, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "idempotency_key"], name="checkout_idempotent_per_account"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="checkout_amount_positive"),
        ]

    def __str__(self):
        return f"Checkout {self.provider_session_id}"


class Payment(models.Model):
    """Money received (or tried) for one account through a provider, identified by the provider's
    payment id (PaymentIntent) so it is recorded once however often it is reported."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    provider_payment_id = models.CharField(max_length=255, unique=True)
    provider_charge_id = models.CharField(max_length=255, blank=True)
    checkout_session = models.ForeignKey(
        CheckoutSession, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    purpose = models.CharField(max_length=12, choices=PaymentPurpose.choices, default=PaymentPurpose.ONE_OFF)
    plan = models.ForeignKey(
        "payments.InstalmentPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    confirmation_number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    credit_amount = models.DecimalField(**MONEY, default=0, help_text="Overpayment beyond the balance.")
    credit_status = models.CharField(max_length=12, choices=CreditStatus.choices, default=CreditStatus.NONE)
    reversed_amount = models.DecimalField(**MONEY, default=0, help_text="Refunded or charged back so far.")
    failure_reason = models.CharField(max_length=300, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(credit_amount__gte=0), name="payment_credit_nonneg"),
            models.CheckConstraint(condition=Q(reversed_amount__gte=0), name="payment_reversed_nonneg"),
            models.CheckConstraint(
                condition=Q(reversed_amount__lte=models.F("amount")), name="payment_reversed_within_amount"
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self):
        return f"{self.amount} {self.currency} ({self.status})"

    @property
    def is_money_in(self) -> bool:
        return self.status in (
            PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.DISPUTED,
        )


class Allocation(models.Model):
    """One ledger line: money applied to (positive) or taken back from (negative) an account, and, when
    a plan exists, to one instalment. An account's balance is its placed amount minus the sum of these.
    Append-only: never edited, never deleted."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    instalment = models.ForeignKey(
        "payments.Instalment", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    reversal = models.ForeignKey(
        "payments.Reversal", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    kind = models.CharField(max_length=20, choices=AllocationKind.choices)
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="allocation_nonzero"),
            models.CheckConstraint(
                condition=Q(kind=AllocationKind.REVERSAL, amount__lt=0) | ~Q(kind=AllocationKind.REVERSAL),
                name="allocation_reversal_negative",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount}"


class Reversal(models.Model):
    """A refund or chargeback reported by the provider. Stored by its provider id; when it arrives
    before the payment it reverses, it waits (``applied_at`` empty) and is applied when the payment is."""

    kind = models.CharField(max_length=12, choices=ReversalKind.choices)
    provider_ref = models.CharField(max_length=255, unique=True)
    provider_payment_id = models.CharField(max_length=255, db_index=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="reversals")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=200, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="reversal_amount_positive")]

    def __str__(self):
        return f"{self.kind} {self.amount} {self.currency}"


class Receipt(models.Model):
    """The receipt for one successful payment: its confirmation number and the plain-words text in the
    customer's language. Sending it (through the contact gate's transactional rules) is outreach's job."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    confirmation_number = models.CharField(max_length=20, unique=True)
    language = models.CharField(max_length=5)
    channel = models.CharField(max_length=10)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "outreach.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
        help_text="The latest message that carried this receipt (queued, sent or blocked).",
    )
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_note = models.CharField(max_length=200, blank=True, help_text="Why it has not gone out, in plain words.")
    history = HistoricalRecords()

    def __str__(self):
        return f"Receipt {self.confirmation_number}"
