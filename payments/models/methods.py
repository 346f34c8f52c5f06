from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import Provider


class SavedPaymentMethod(models.Model):
    """A card the customer saved for plan autopay (Stripe Customer + PaymentMethod via a SetupIntent).
    Only brand, last four and expiry are kept — enough for the proactive 'card expiring' heads-up."""

    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="payment_methods")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    provider_customer_id = models.CharField(max_length=255)
    provider_method_id = models.CharField(max_length=255, unique=True)
    brand = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    expiring_reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.brand} •••• {self.last4}"
