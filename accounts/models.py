"""The case itself and the people who work it: creditors, customers, accounts, cases, agents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collections_crm import money
from collections_crm.choice_labels import ChoiceLabelsModel

from .choices import (
    OPTIONAL_QUEUES,
    AccountStatus,
    CallbackSource,
    CallbackStatus,
    CaseStatus,
    Channel,
    DelinquencyBucket,
    Language,
    PlacementSource,
    PlacementStatus,
    Queue,
    Role,
    RoutingReason,
)

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a6b4f."))
currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO currency code such as NGN."))
e164 = RegexValidator(r"^\+[1-9]\d{6,14}$", _("Use an international number such as +2348031234567."))
MONEY = {"max_digits": 14, "decimal_places": 2}
HALF_CENT = Decimal("0.005")


def _choice_values(choices) -> list[str]:
    return [value for value, _label in choices.choices]


class User(AbstractUser):
    """A person who signs in to the back office. Roles are groups (agent, supervisor, admin)."""

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    def has_role(self, role: str) -> bool:
        """Admins can do what supervisors can, supervisors what agents can."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        ladder = [Role.AGENT, Role.SUPERVISOR, Role.ADMIN]
        wanted = ladder.index(Role(role))
        return any(r.value in self._role_names for r in ladder[wanted:])

    @property
    def is_supervisor(self) -> bool:
        return self.has_role(Role.SUPERVISOR)

    @property
    def is_agent(self) -> bool:
        return self.has_role(Role.AGENT)


class Creditor(models.Model):
    """Who owns the portfolio: its brand (how messages and the portal look and sound) and its policy."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, help_text=_("Legal or trading name."))
    display_name = models.CharField(max_length=120, help_text=_("The name customers know."))
    logo_url = models.CharField(max_length=300, blank=True)
    brand_primary = models.CharField(max_length=7, default="#1f5f8b", validators=[hex_colour])
    brand_accent = models.CharField(max_length=7, default="#f0a202", validators=[hex_colour])
    sender_email_name = models.CharField(max_length=80, blank=True)
    sender_sms_id = models.CharField(max_length=11, blank=True, help_text=_("Alphanumeric SMS sender."))
    tone_of_voice = models.TextField(blank=True, help_text=_("How this brand talks to its customers."))
    support_phone = models.CharField(max_length=16, blank=True, validators=[e164])
    support_email = models.EmailField(blank=True)
    country = models.CharField(max_length=2, help_text=_("Jurisdiction, ISO 3166-1 alpha-2 (NG, US, GB)."))
    region = models.CharField(max_length=10, blank=True, help_text=_("State or region code, e.g. MA."))
    currency = models.CharField(max_length=3, validators=[currency_code])
    default_phone_region = models.CharField(
        max_length=2, help_text=_("Region used to read national phone numbers in placement files.")
    )
    default_language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    high_value_threshold = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    min_instalment_amount = models.DecimalField(
        **MONEY, default=Decimal("5.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    max_plan_months = models.PositiveSmallIntegerField(default=12)
    settlement_floor_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Lowest settlement, as a percent of the balance, an agent may offer without approval."),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(condition=Q(high_value_threshold__gte=0), name="creditor_threshold_nonneg"),
            models.CheckConstraint(condition=Q(min_instalment_amount__gte=0), name="creditor_min_instalment_nonneg"),
            models.CheckConstraint(
                condition=Q(settlement_floor_percent__isnull=True)
                | Q(settlement_floor_percent__gte=0, settlement_floor_percent__lte=100),
                name="creditor_settlement_floor_percent",
            ),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        if self.currency and not money.is_currency(self.currency):
            raise ValidationError({"currency": _("Unknown currency code.")})


class Customer(ChoiceLabelsModel):
    """A person who owes a creditor money: how to reach them, when, in which language, and what care
    they need. Contact points are E.164 phone numbers and email addresses."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="customers")
    external_ref = models.CharField(max_length=64, help_text=_("The creditor's id for this person."))
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True, validators=[e164])
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=10, blank=True, help_text=_("State or region code."))
    country = models.CharField(max_length=2, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, help_text=_("Empty when unknown: then every possible zone must allow contact.")
    )
    possible_time_zones = models.JSONField(default=list, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    contact_hours_start = models.TimeField(null=True, blank=True)
    contact_hours_end = models.TimeField(null=True, blank=True)
    vulnerability_flags = models.JSONField(default=list, blank=True)
    vulnerability_note = models.TextField(blank=True)
    customer_since = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor", "external_ref"], name="customer_unique_ref_per_creditor"),
            models.CheckConstraint(
                condition=Q(preferred_channel__in=_choice_values(Channel)), name="customer_channel_valid"
            ),
            models.CheckConstraint(condition=Q(language__in=_choice_values(Language)), name="customer_language_valid"),
        ]
        indexes = [models.Index(fields=["phone"]), models.Index(fields=["email"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def zones(self) -> list[str]:
        """Every time zone this person may be in; one when known."""
        if self.time_zone:
            return [self.time_zone]
        return list(self.possible_time_zones or []) or ["UTC"]

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.vulnerability_flags)


class Account(ChoiceLabelsModel):
    """One debt: what was placed, itemised, what is left, and where it stands."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="accounts")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="accounts")
    reference = models.CharField(max_length=64, help_text=_("The creditor's account reference."))
    product = models.CharField(max_length=80, blank=True)
    currency = models.CharField(max_length=3, validators=[currency_code])
    principal = models.DecimalField(**MONEY)
    interest = models.DecimalField(**MONEY, default=Decimal("0"))
    fees = models.DecimalField(**MONEY, default=Decimal("0"))
    credits = models.DecimalField(**MONEY, default=Decimal("0"), help_text=_("Credits before placement."))
    placed_amount = models.DecimalField(**MONEY, help_text=_("principal + interest + fees − credits"))
    balance = models.DecimalField(**MONEY)
    opened_on = models.DateField(null=True, blank=True)
    due_date = models.DateField(help_text=_("When the oldest unpaid amount fell due."))
    itemization_date = models.DateField(null=True, blank=True)
    last_payment_date = models.DateField(null=True, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=AccountStatus.choices, default=AccountStatus.OPEN)
    delinquency_bucket = models.CharField(max_length=8, choices=DelinquencyBucket.choices)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor", "reference"], name="account_unique_ref_per_creditor"),
            models.CheckConstraint(condition=Q(principal__gte=0), name="account_principal_nonneg"),
            models.CheckConstraint(condition=Q(interest__gte=0), name="account_interest_nonneg"),
            models.CheckConstraint(condition=Q(fees__gte=0), name="account_fees_nonneg"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="account_credits_nonneg"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="account_balance_nonneg"),
            # Within half a cent rather than "=": SQLite stores decimals as binary floats, where
            # 61192.56 + 747.10 + 91.83 - 5.16 != 62026.33. On PostgreSQL (exact numeric, 2 places) the
            # two forms are the same rule; model clean() still checks exact Decimal equality.
            models.CheckConstraint(
                condition=Q(
                    placed_amount__gte=F("principal") + F("interest") + F("fees") - F("credits") - HALF_CENT,
                    placed_amount__lte=F("principal") + F("interest") + F("fees") - F("credits") + HALF_CENT,
                ),
                name="account_placed_amount_itemised",
            ),
            models.CheckConstraint(condition=Q(status__in=_choice_values(AccountStatus)), name="account_status_valid"),
            models.CheckConstraint(
                condition=Q(delinquency_bucket__in=_choice_values(DelinquencyBucket)), name="account_bucket_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "delinquency_bucket"]),
            models.Index(fields=["customer"]),
            models.Index(fields=["due_date"]),
        ]

    def __str__(self):
        return f"{self.creditor.slug}:{self.reference}"

    def clean(self):
        errors = {}
        if self.currency and not money.is_currency(self.currency):
            errors["currency"] = _("Unknown currency code.")
        parts = [self.principal, self.interest, self.fees, self.credits]
        if all(p is not None for p in parts) and self.placed_amount is not None:
            if self.placed_amount != self.principal + self.interest + self.fees - self.credits:
                errors["placed_amount"] = _("The placed amount must equal principal + interest + fees − credits.")
        if self.customer_id and self.creditor_id and self.customer.creditor_id != self.creditor_id:
            errors["customer"] = _("The customer belongs to another creditor.")
        if errors:
            raise ValidationError(errors)

    def days_past_due(self, on: date | None = None) -> int:
        return max(0, ((on or timezone.localdate()) - self.due_date).days)

    @property
    def is_closed(self) -> bool:
        return self.status in AccountStatus.closed_states()


class AgentProfile(models.Model):
    """What an agent can take on: languages, skills and how many open cases at once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent_profile")
    display_name = models.CharField(
        max_length=80, help_text=_("The consistent, traceable name the agent uses with customers.")
    )
    languages = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(default=25)
    is_available = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.display_name


class Case(ChoiceLabelsModel):
    """The unit of work for one account: which queue it is in and why, who has it, and by when."""

    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="case")
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="cases")
    queue = models.CharField(max_length=16, choices=Queue.choices, default=Queue.AUTOMATED)
    routing_reason = models.CharField(max_length=16, choices=RoutingReason.choices, default=RoutingReason.AUTOMATED)
    routing_note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    assignee = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    priority = models.PositiveSmallIntegerField(default=3, help_text=_("1 is most urgent, 5 least."))
    sla_due_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    complaint_open = models.BooleanField(
        default=False, help_text=_("A complaint or a distressed message that a person has not dealt with yet.")
    )
    review_requested = models.BooleanField(default=False, help_text=_("An agent or supervisor asked for a review."))
    version = models.PositiveIntegerField(
        default=0, help_text=_("Goes up on every change: forms carry it so a stale form cannot overwrite news.")
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(queue__in=_choice_values(Queue)), name="case_queue_valid"),
            models.CheckConstraint(
                condition=Q(routing_reason__in=_choice_values(RoutingReason)), name="case_routing_reason_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=_choice_values(CaseStatus)), name="case_status_valid"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="case_priority_range"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False) | ~Q(status=CaseStatus.CLOSED),
                name="case_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "status", "priority", "sla_due_at"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self):
        return f"Case {self.pk} ({self.account})"

    def clean(self):
        if self.account_id and self.creditor_id and self.account.creditor_id != self.creditor_id:
            raise ValidationError({"creditor": _("The case's creditor must be the account's creditor.")})


class RoutingPolicy(models.Model):
    """How one creditor's cases are routed: its own high-value threshold (or the creditor's), how many
    hours each human queue has before its SLA is breached, after how many broken plans a person looks,
    and which optional queues are switched off. Supervisors edit it on /desk/team/."""

    creditor = models.OneToOneField(Creditor, on_delete=models.PROTECT, related_name="routing_policy")
    high_value_threshold = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: use the creditor's high-value threshold."),
    )
    sla_hours = models.JSONField(default=dict, blank=True, help_text=_("Hours per queue, e.g. {\"disputes\": 48}."))
    broken_plan_limit = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    disabled_queues = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "routing policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(high_value_threshold__isnull=True) | Q(high_value_threshold__gte=0),
                name="routing_policy_threshold_nonneg",
            ),
            models.CheckConstraint(condition=Q(broken_plan_limit__gte=1), name="routing_policy_broken_limit"),
        ]

    def __str__(self):
        return f"Routing policy for {self.creditor}"

    def clean(self):
        errors = {}
        bad = [q for q in self.disabled_queues or [] if q not in OPTIONAL_QUEUES]
        if bad:
            errors["disabled_queues"] = _("These queues cannot be switched off: %(queues)s.") % {
                "queues": ", ".join(map(str, bad))}
        for queue, hours in (self.sla_hours or {}).items():
            if queue not in _choice_values(Queue) or queue == Queue.AUTOMATED:
                errors["sla_hours"] = _("Unknown queue: %(queue)s.") % {"queue": queue}
            elif not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 24 * 60:
                errors["sla_hours"] = _("SLA hours must be a whole number from 1 to 1440.")
        if errors:
            raise ValidationError(errors)


class CallbackRequest(models.Model):
    """The customer asked a person to call (portal, an inbound message, or an agent noting it). Open
    requests route the case to the callbacks queue until someone calls back or it is cancelled."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="callback_requests")
    preferred_at = models.DateTimeField(null=True, blank=True, help_text=_("When the customer would like the call."))
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.VOICE)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=CallbackSource.choices)
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=_choice_values(CallbackStatus)), name="callback_status_valid"),
            models.CheckConstraint(condition=Q(source__in=_choice_values(CallbackSource)), name="callback_source_valid"),
            models.CheckConstraint(condition=Q(channel__in=_choice_values(Channel)), name="callback_channel_valid"),
        ]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return f"Callback {self.pk} for case {self.case_id} ({self.status})"


class PlacementImport(models.Model):
    """One placement file brought in (upload page, command or API): who, when, which creditor, the
    file's fingerprint, what happened to its rows, and the rejected rows for the error CSV."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="placement_imports")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="placement_imports")
    source = models.CharField(max_length=10, choices=PlacementSource.choices, default=PlacementSource.COMMAND)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.RUNNING)
    message = models.TextField(blank=True, help_text=_("Why the whole file was refused, in plain words."))
    rows_total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text=_("Rejected rows: line, column, value, reason (capped).")
    )
    errors_truncated = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["errors"])

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_choice_values(PlacementStatus)), name="placement_import_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=_choice_values(PlacementSource)), name="placement_import_source_valid"
            ),
        ]
        indexes = [models.Index(fields=["creditor", "-started_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.creditor.slug}, {self.started_at:%Y-%m-%d %H:%M})"
