"""The customer portal: one session per opened pay link, bound to one account, and the per-creditor
portal settings (help content, assistance programmes, the date-move rule) a supervisor edits in admin."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import SessionEnd, VerificationMethod


class PortalSession(models.Model):
    """A customer's visit, opened from one pay link and bound to exactly one account. The Django session
    only holds this row's id; everything the portal may show is reached through ``account``. Sensitive
    pages need ``verified_at``; the session ends after ``PORTAL_IDLE_MINUTES`` without a request or
    ``PORTAL_MAX_HOURS`` in all."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="portal_sessions")
    pay_link_id = models.BigIntegerField(null=True, blank=True, help_text=_("The pay link that opened it."))
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_method = models.CharField(max_length=10, choices=VerificationMethod.choices, blank=True)
    failed_checks = models.PositiveSmallIntegerField(default=0)
    code_hash = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the one-time code sent."))
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_channel = models.CharField(max_length=10, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=SessionEnd.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-opened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | ~Q(verified_method=""), name="portal_verified_has_method"
            ),
        ]

    def __str__(self):
        return f"Portal session {self.pk} for account {self.account_id}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def _empty_list():
    return []


class PortalSettings(models.Model):
    """What a creditor's portal says beyond the account itself: a welcome in its own voice, FAQ, budgeting
    tips and assistance programmes (each a list of entries with text per language: ``{"en": ..., "fr": ...}``),
    whether a customer may move one plan date and by how far, and the smallest sample of finished plans
    before the portal quotes how many customers finish theirs. Edited by supervisors in the admin."""

    creditor = models.OneToOneField("accounts.Creditor", on_delete=models.PROTECT, related_name="portal_settings")
    welcome = models.JSONField(default=dict, blank=True, help_text=_('Per language, e.g. {"en": "Hi, we are here to help."}'))
    faq = models.JSONField(
        default=_empty_list, blank=True,
        help_text=_('A list of {"q": {"en": ...}, "a": {"en": ...}}. Empty: the portal\'s standard answers.'),
    )
    budgeting_tips = models.JSONField(
        default=_empty_list, blank=True, help_text=_('A list of {"en": ..., "fr": ...}. Empty: standard tips.')
    )
    assistance_programmes = models.JSONField(
        default=_empty_list, blank=True,
        help_text=_('A list of {"name": {"en": ...}, "description": {"en": ...}, "url": "https://…", "phone": "+…"}.'),
    )
    date_move_allowed = models.BooleanField(default=True, help_text=_("A customer may move one plan date once."))
    date_move_max_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    social_proof_min_plans = models.PositiveIntegerField(
        default=30, help_text=_("Finished plus broken plans needed before the help page quotes how many finish.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "portal settings"

    def __str__(self):
        return f"Portal settings for {self.creditor}"
