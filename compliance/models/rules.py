"""A creditor's tightening of the jurisdiction profile (narrower hours, lower caps, more quiet days)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CreditorContactPolicy(models.Model):
    """How a creditor narrows the law's contact rules. Never looser than the law: the service validates
    against the profile and the gate applies the stricter of the two anyway."""

    creditor = models.OneToOneField("accounts.Creditor", on_delete=models.PROTECT, related_name="contact_policy")
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; decisions record it.")
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    quiet_weekdays = models.JSONField(default=list, blank=True, help_text="0 = Monday … 6 = Sunday.")
    channel_limits = models.JSONField(
        default=dict, blank=True, help_text='{"voice": [3, 7]} = at most 3 attempts in 7 days.'
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True) | Q(window_end__isnull=True)
                | Q(window_start__lt=models.F("window_end")),
                name="contact_policy_window_order",
            )
        ]

    def __str__(self):
        return f"Contact policy v{self.version} for {self.creditor}"
