"""Messages: every interaction with a customer, outbound and inbound, on any channel (calls included)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.choices import Channel, Language

from ..choices import CallOutcome, Classification, Direction, MessageSource, MessageStatus, Purpose


class Message(models.Model):
    """One interaction on the case timeline: an outbound message or call, or an inbound reply.

    Outbound messages carry the rendered text, the template version it came from, the contact gate's
    decision and the reserved contact attempt, and move through ``MessageStatus`` (see
    ``outreach.choices.MESSAGE_TRANSITIONS``) with a time for each step. Calls (channel ``voice``)
    carry the outcome, duration, notes and transcript. Inbound messages carry what the classifier
    made of them. An inbound message from an unknown sender is kept with no customer."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    case = models.ForeignKey("accounts.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=32, choices=Purpose.choices, blank=True)
    source = models.CharField(max_length=10, choices=MessageSource.choices)
    template = models.ForeignKey(
        "outreach.MessageTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    template_version = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=5, choices=Language.choices, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    to_address = models.CharField(max_length=254, blank=True)
    from_address = models.CharField(max_length=254, blank=True)

    status = models.CharField(max_length=12, choices=MessageStatus.choices)
    status_reason = models.CharField(max_length=200, blank=True, help_text="Why it was blocked or cancelled.")
    gate_decision = models.ForeignKey(
        "compliance.GateDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    contact_attempt = models.ForeignKey(
        "compliance.ContactAttempt", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    next_allowed_at = models.DateTimeField(null=True, blank=True, help_text="Blocked: the next lawful moment.")
    idempotency_key = models.CharField(max_length=120, unique=True)
    provider_message_id = models.CharField(max_length=120, null=True, blank=True)
    provider_status = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    retry_count = models.PositiveSmallIntegerField(default=0)

    scheduled_at = models.DateTimeField(default=timezone.now, help_text="When it is meant to go (the gate's time).")
    queued_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outreach_messages")

    call_outcome = models.CharField(max_length=24, choices=CallOutcome.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    transcript = models.TextField(blank=True)

    classification = models.CharField(max_length=12, choices=Classification.choices, blank=True)
    extracted = models.JSONField(default=dict, blank=True, help_text="What the classifier pulled out (date, amount).")

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["status", "scheduled_at"]),
            models.Index(fields=["customer", "channel", "direction", "-created_at"], name="msg_customer_channel_dir"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="msg_direction_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="msg_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="msg_status_valid"),
            models.CheckConstraint(condition=Q(source__in=MessageSource.values), name="msg_source_valid"),
            models.CheckConstraint(condition=Q(purpose="") | Q(purpose__in=Purpose.values), name="msg_purpose_valid"),
            models.CheckConstraint(
                condition=Q(call_outcome="") | Q(call_outcome__in=CallOutcome.values), name="msg_call_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(classification="") | Q(classification__in=Classification.values),
                name="msg_classification_valid",
            ),
            # An outbound message is always to a known customer about an account.
            models.CheckConstraint(
                condition=Q(direction=Direction.INBOUND) | Q(customer__isnull=False, account__isnull=False),
                name="msg_outbound_has_customer",
            ),
            # Inbound messages are received; outbound never are.
            models.CheckConstraint(
                condition=(Q(direction=Direction.INBOUND) & Q(status=MessageStatus.RECEIVED))
                | (Q(direction=Direction.OUTBOUND) & ~Q(status=MessageStatus.RECEIVED)),
                name="msg_status_matches_direction",
            ),
            # Whatever left the building passed the gate: sent (or later) needs an allowed decision.
            models.CheckConstraint(
                condition=~Q(status__in=[MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED,
                                         MessageStatus.UNDELIVERED])
                | Q(gate_decision__isnull=False, contact_attempt__isnull=False),
                name="msg_sent_has_gate_decision",
            ),
            models.UniqueConstraint(
                fields=["provider_message_id"], condition=Q(provider_message_id__isnull=False),
                name="msg_unique_provider_id",
            ),
        ]

    def __str__(self):
        return f"{self.direction} {self.channel} message {self.pk} ({self.status})"

    @property
    def is_outbound(self) -> bool:
        return self.direction == Direction.OUTBOUND

    @property
    def awaiting_call(self) -> bool:
        """A call task an agent has yet to make (voice 'sent' = handed to the agent, no outcome yet)."""
        return self.channel == Channel.VOICE and self.is_outbound and self.status == MessageStatus.SENT \
            and not self.call_outcome
