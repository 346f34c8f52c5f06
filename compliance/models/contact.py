"""Preferences, consent records, gate decisions and contact attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.choices import Channel

from ..choices import AttemptStatus, ConsentSource, ConsentStatus, Purpose


class ContactPreference(models.Model):
    """What the customer asked for: hours and days, and whether they may be called at work."""

    customer = models.OneToOneField("accounts.Customer", on_delete=models.CASCADE, related_name="contact_preference")
    hours_start = models.TimeField(null=True, blank=True)
    hours_end = models.TimeField(null=True, blank=True)
    days_mask = models.PositiveSmallIntegerField(
        default=0, help_text="Weekdays contact is welcome as bits (1 = Monday … 64 = Sunday); 0 = any day."
    )
    no_contact_at_work = models.BooleanField(default=False)
    work_start = models.TimeField(null=True, blank=True)
    work_end = models.TimeField(null=True, blank=True)
    work_days_mask = models.PositiveSmallIntegerField(default=0, help_text="Bits as days_mask; 0 = Monday-Friday.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_start__isnull=True, hours_end__isnull=True)
                | Q(hours_start__isnull=False, hours_end__isnull=False),
                name="contact_pref_hours_both_or_neither",
            ),
            models.CheckConstraint(condition=Q(days_mask__lt=128, work_days_mask__lt=128), name="contact_pref_masks"),
        ]

    def __str__(self):
        return f"Preferences of {self.customer}"

    @staticmethod
    def mask_to_days(mask: int) -> frozenset[int]:
        return frozenset(d for d in range(7) if mask & (1 << d))

    @staticmethod
    def days_to_mask(days) -> int:
        return sum(1 << d for d in set(days))


class ConsentRecord(models.Model):
    """One grant or revocation of consent for a channel, with where it came from and the evidence.
    Append-only: the latest record per (customer, channel) is the current state."""

    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="consent_records")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=ConsentStatus.choices)
    source = models.CharField(max_length=16, choices=ConsentSource.choices)
    address = models.CharField(max_length=254, blank=True, help_text="The number or address it applies to.")
    evidence = models.TextField(blank=True, help_text="The keyword message, link, note or file reference.")
    link_nonce = models.CharField(max_length=64, null=True, blank=True, unique=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["customer", "channel", "-at", "-id"]
        indexes = [models.Index(fields=["customer", "channel", "-at"])]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="consent_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=ConsentStatus.values), name="consent_status_valid"),
            models.CheckConstraint(condition=Q(source__in=ConsentSource.values), name="consent_source_valid"),
        ]

    def __str__(self):
        return f"{self.channel} {self.status} for {self.customer_id} ({self.source})"


class GateDecision(models.Model):
    """What the contact gate decided, with the rule version it used. Append-only."""

    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="gate_decisions")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="gate_decisions"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    at = models.DateTimeField()
    allowed = models.BooleanField()
    reasons = models.JSONField(default=list)
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    rule_version = models.CharField(max_length=80)
    zones = models.JSONField(default=list)
    required_disclosures = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "-at"]), models.Index(fields=["account", "-at"])]

    def __str__(self):
        return f"{'allowed' if self.allowed else 'blocked'} {self.channel} {self.at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    """One outbound contact the gate allowed. Reserved before sending (so concurrent workers see it and
    caps hold), then sent, failed (not connected) or cancelled. Outreach messages link to it."""

    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="contact_attempts")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="contact_attempts"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    at = models.DateTimeField()
    decision = models.OneToOneField(GateDecision, on_delete=models.PROTECT, related_name="attempt")
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.RESERVED)
    outcome = models.CharField(max_length=40, blank=True)
    is_conversation = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-at"]),
            models.Index(fields=["account", "channel", "-at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AttemptStatus.values), name="attempt_status_valid"),
            models.CheckConstraint(condition=Q(purpose__in=Purpose.values), name="attempt_purpose_valid"),
        ]

    def __str__(self):
        return f"{self.channel} attempt {self.pk} ({self.status})"
