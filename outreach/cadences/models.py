"""Cadences (ordered steps for a segment of the portfolio) and the enrolment of cases in them.

Registered under the ``outreach`` app (imported from ``outreach/models.py``); migrations live in
``outreach/migrations``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import DelinquencyBucket

from ..choices import Purpose
from .choices import CampaignStatus, DeliveryOutcome, EnrolmentStatus, ExitReason, StepAnchor, StepChannel

MONEY = {"max_digits": 14, "decimal_places": 2}


def _values(choices) -> list[str]:
    return [value for value, _label in choices.choices]


class Cadence(models.Model):
    """An ordered list of steps for one segment of the portfolio: a creditor (or every creditor),
    delinquency buckets, a balance band and products (empty = any). When several active cadences match
    an account, the highest ``priority`` wins (then the most specific: a creditor's over a global one,
    then the lowest id)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    creditor = models.ForeignKey(
        "accounts.Creditor", on_delete=models.PROTECT, null=True, blank=True, related_name="cadences",
        help_text=_("Empty for a cadence any creditor's accounts may follow."),
    )
    buckets = models.JSONField(default=list, blank=True, help_text=_("Delinquency buckets; empty for all."))
    balance_min = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    balance_max = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    products = models.JSONField(default=list, blank=True, help_text=_("Products; empty for all."))
    priority = models.SmallIntegerField(default=0, help_text=_("Higher wins when segments overlap."))
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-priority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_min__isnull=True) | Q(balance_max__isnull=True) | Q(balance_min__lte=models.F("balance_max")),
                name="cadence_balance_band_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        known = set(_values(DelinquencyBucket))
        if not isinstance(self.buckets, list) or any(b not in known for b in self.buckets):
            errors["buckets"] = _("Use buckets from the list: %(known)s.") % {"known": ", ".join(sorted(known))}
        if not isinstance(self.products, list) or any(not isinstance(p, str) for p in self.products):
            errors["products"] = _("Products are a list of names.")
        if self.balance_min is not None and self.balance_max is not None and self.balance_min > self.balance_max:
            errors["balance_max"] = _("The top of the balance band must not be below its bottom.")
        if errors:
            raise ValidationError(errors)


class CadenceStep(models.Model):
    """One step: ``offset_days`` after its anchor (placement, the account's due date or the last
    contact), on a channel (or the customer's preferred one), with a template purpose. A step whose
    conditions do not hold when it falls due is skipped, not sent."""

    cadence = models.ForeignKey(Cadence, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    anchor = models.CharField(max_length=16, choices=StepAnchor.choices, default=StepAnchor.LAST_CONTACT)
    offset_days = models.SmallIntegerField(default=0, help_text=_("Negative before the due date."))
    channel = models.CharField(max_length=10, choices=StepChannel.choices, default=StepChannel.PREFERRED)
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    require_no_payment = models.BooleanField(default=False, help_text=_("Only if no payment since the last step."))
    require_no_reply = models.BooleanField(default=False, help_text=_("Only if no reply since the last step."))
    require_not_in_plan = models.BooleanField(default=True, help_text=_("Only if the account is not in a plan."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["cadence", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cadence", "order"], name="cadence_step_unique_order"),
            models.CheckConstraint(condition=Q(anchor__in=_values(StepAnchor)), name="cadence_step_anchor_valid"),
            models.CheckConstraint(condition=Q(channel__in=_values(StepChannel)), name="cadence_step_channel_valid"),
            models.CheckConstraint(condition=Q(purpose__in=_values(Purpose)), name="cadence_step_purpose_valid"),
        ]

    def __str__(self):
        return f"{self.cadence.name} · {self.order}. {self.get_purpose_display()}"


class CadenceEnrolment(models.Model):
    """A case following a cadence: which step is next and when, and — once over — why it ended.
    At most one active enrolment per case. Every change (step advanced, rescheduled, exited) has a
    history row attributed to the acting user (the system user for the tick)."""

    case = models.ForeignKey("accounts.Case", on_delete=models.PROTECT, related_name="cadence_enrolments")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="cadence_enrolments")
    # Indexed by (cadence, status) below; a second index on the key alone would only slow the tick's writes.
    cadence = models.ForeignKey(Cadence, on_delete=models.PROTECT, related_name="enrolments", db_index=False)
    step = models.ForeignKey(
        CadenceStep, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments",
        help_text=_("The next step; empty once the enrolment is over."),
    )
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_step_at = models.DateTimeField(
        help_text=_("When the previous step was done (sent or skipped), or enrolment. 'Since the last step' counts from here."),
    )
    last_contact_at = models.DateTimeField(null=True, blank=True, help_text=_("When a step last sent a message."))
    steps_sent = models.PositiveSmallIntegerField(default=0)
    steps_skipped = models.PositiveSmallIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status=EnrolmentStatus.ACTIVE), name="enrolment_one_active_per_case"
            ),
            models.CheckConstraint(condition=Q(status__in=_values(EnrolmentStatus)), name="enrolment_status_valid"),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.EXITED, exit_reason__in=_values(ExitReason))
                | (~Q(status=EnrolmentStatus.EXITED) & Q(exit_reason="")),
                name="enrolment_exit_reason_when_exited",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.ACTIVE) | Q(step__isnull=False, next_due_at__isnull=False),
                name="enrolment_active_has_next_step",
            ),
        ]
        indexes = [
            models.Index(fields=["next_due_at"], condition=Q(status="active"), name="enrolment_due_active"),
            models.Index(fields=["cadence", "status"]),
        ]

    def __str__(self):
        return f"{self.case_id} in {self.cadence_id} ({self.status})"


class CadenceDispatch(models.Model):
    """A lease, not business state: the tick writes one when it hands an enrolment to a send batch, so an
    overlapping tick does not hand it out again; the batch removes it, or it lapses at ``until``. A narrow
    table of its own, so leasing a hundred thousand enrolments is an INSERT, not an UPDATE of wide,
    indexed, history-tracked rows."""

    enrolment = models.OneToOneField(CadenceEnrolment, on_delete=models.CASCADE, primary_key=True,
                                     related_name="dispatch")
    until = models.DateTimeField()

    def __str__(self):
        return f"enrolment {self.enrolment_id} leased until {self.until:%H:%M:%S}"


class CadenceDelivery(models.Model):
    """What one send attempt of a cadence step came to: the message (sent or blocked) or why the step was
    skipped. Append-only; the per-step counts on the cadence page come from here."""

    enrolment = models.ForeignKey(CadenceEnrolment, on_delete=models.PROTECT, related_name="deliveries")
    step = models.ForeignKey(CadenceStep, on_delete=models.PROTECT, related_name="deliveries")
    message = models.ForeignKey("outreach.Message", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="cadence_deliveries")
    channel = models.CharField(max_length=10)
    outcome = models.CharField(max_length=10, choices=DeliveryOutcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["step", "outcome"])]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=_values(DeliveryOutcome)), name="cadence_delivery_outcome"),
        ]

    def __str__(self):
        return f"{self.outcome} {self.channel} for enrolment {self.enrolment_id}"


class Campaign(models.Model):
    """A seasonal or one-off message to an audience (creditor, buckets, balance band, languages) in a date
    window, e.g. the Valentine's week "collecting with care" note. Sent through message_queue, so the gate
    decides every message; with ``consent_required`` only customers who said yes on the channel are in the
    audience (the gate requires it for campaigns anyway). Each account gets it at most once."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    creditor = models.ForeignKey(
        "accounts.Creditor", on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns",
        help_text=_("Empty for every creditor's customers."),
    )
    buckets = models.JSONField(default=list, blank=True, help_text=_("Delinquency buckets; empty for all."))
    balance_min = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    balance_max = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    languages = models.JSONField(default=list, blank=True, help_text=_("Customer languages; empty for all."))
    channel = models.CharField(max_length=10, choices=StepChannel.choices, default=StepChannel.PREFERRED)
    purpose = models.CharField(max_length=32, choices=Purpose.choices, default=Purpose.SEASONAL_CARE)
    consent_required = models.BooleanField(default=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    launched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_window_ordered"),
            models.CheckConstraint(condition=Q(status__in=_values(CampaignStatus)), name="campaign_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=_values(StepChannel)), name="campaign_channel_valid"),
            models.CheckConstraint(condition=Q(purpose__in=_values(Purpose)), name="campaign_purpose_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        known = set(_values(DelinquencyBucket))
        if not isinstance(self.buckets, list) or any(b not in known for b in self.buckets):
            errors["buckets"] = _("Use buckets from the list: %(known)s.") % {"known": ", ".join(sorted(known))}
        from accounts.choices import Language

        if not isinstance(self.languages, list) or any(lang not in Language.values for lang in self.languages):
            errors["languages"] = _("Use languages from the list: %(known)s.") % {"known": ", ".join(Language.values)}
        if self.balance_min is not None and self.balance_max is not None and self.balance_min > self.balance_max:
            errors["balance_max"] = _("The top of the balance band must not be below its bottom.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The campaign must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def idempotency_prefix(self) -> str:
        return f"campaign:{self.pk}:"
