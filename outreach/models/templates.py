"""Message templates: channel × language × purpose × creditor, versioned and approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Channel, Language

from ..choices import Purpose, TemplateStatus


def _values(choices) -> list[str]:
    return [value for value, _label in choices.choices]


class MessageTemplate(models.Model):
    """One version of a message for a channel × language × purpose, for one creditor or for all
    (``creditor`` empty = global). Written in Django template syntax over the documented context
    (``outreach.rendering.TEMPLATE_VARIABLES``).

    Life cycle: a draft is edited in place; a supervisor approves it once the care check passes; the
    previously approved version of the same slot is then retired. Editing an approved template makes
    a new draft row with the next version number, so every message sent can cite the exact version.
    At most one approved version per (creditor, channel, language, purpose)."""

    creditor = models.ForeignKey(
        "accounts.Creditor", on_delete=models.PROTECT, null=True, blank=True, related_name="message_templates",
        help_text=_("Empty for a global template any creditor may use."),
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=5, choices=Language.choices)
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    subject = models.CharField(max_length=200, blank=True, help_text=_("Email only."))
    body = models.TextField()
    whatsapp_approved = models.BooleanField(
        default=False, help_text=_("WhatsApp has approved this wording as a message template.")
    )
    whatsapp_template_name = models.CharField(max_length=512, blank=True)
    care_report = models.JSONField(default=dict, blank=True, help_text=_("The last care check, as stored."))
    care_passed = models.BooleanField(default=False)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions",
        help_text=_("The version this one was edited from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="message_templates_created"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="message_templates_approved",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["purpose", "channel", "language", "-version"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=_values(Channel)), name="msgtpl_channel_valid"),
            models.CheckConstraint(condition=Q(language__in=_values(Language)), name="msgtpl_language_valid"),
            models.CheckConstraint(condition=Q(purpose__in=_values(Purpose)), name="msgtpl_purpose_valid"),
            models.CheckConstraint(condition=Q(status__in=_values(TemplateStatus)), name="msgtpl_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="msgtpl_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=TemplateStatus.APPROVED)
                | Q(approved_by__isnull=False, approved_at__isnull=False, care_passed=True),
                name="msgtpl_approved_is_signed_and_passed",
            ),
            # NULL creditors are distinct in a plain unique index, so global templates get their own.
            models.UniqueConstraint(
                fields=["creditor", "channel", "language", "purpose", "version"],
                condition=Q(creditor__isnull=False), name="msgtpl_unique_version",
            ),
            models.UniqueConstraint(
                fields=["channel", "language", "purpose", "version"],
                condition=Q(creditor__isnull=True), name="msgtpl_unique_version_global",
            ),
            models.UniqueConstraint(
                fields=["creditor", "channel", "language", "purpose"],
                condition=Q(status=TemplateStatus.APPROVED, creditor__isnull=False), name="msgtpl_one_approved",
            ),
            models.UniqueConstraint(
                fields=["channel", "language", "purpose"],
                condition=Q(status=TemplateStatus.APPROVED, creditor__isnull=True),
                name="msgtpl_one_approved_global",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "channel", "language", "status"])]

    def __str__(self):
        scope = self.creditor.slug if self.creditor_id else "global"
        return f"{self.purpose} · {self.channel} · {self.language} · {scope} · v{self.version}"

    @property
    def jurisdiction(self) -> str:
        """What the care check judges against: the creditor's country (and region), or all ("*")."""
        if not self.creditor_id:
            return "*"
        region = f"-{self.creditor.region}" if self.creditor.region else ""
        return f"{self.creditor.country}{region}"

    @property
    def is_editable(self) -> bool:
        return self.status != TemplateStatus.RETIRED
