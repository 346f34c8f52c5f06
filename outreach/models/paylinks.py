"""Personal pay links: a short, unguessable code per message that opens the customer portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class PayLink(models.Model):
    """A personal link to the portal (``/p/<code>``) for one account, usually made for one message.

    The code is a random base62 part plus a short HMAC check (``outreach.paylinks``), so a forged or
    mistyped code is refused before the database is asked. A link expires (``OUTREACH_PAY_LINK_DAYS``)
    and can be revoked; the portal shows one neutral page for any link it cannot use."""

    code = models.CharField(max_length=32, unique=True)
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="pay_links")
    message = models.ForeignKey(
        "outreach.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="pay_links"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # last_used_at changes on every visit; it is not worth a history row each time.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="paylink_expires_after"),
        ]

    def __str__(self):
        return f"Pay link {self.code[:4]}… for account {self.account_id}"

    @property
    def url(self) -> str:
        return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/p/{self.code}"

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at
