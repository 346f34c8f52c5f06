"""The dev outbox: what the dev back-end "sent" (it stands in for the provider's own log)."""

from django.db import models
from django.utils import timezone


class DevOutboxEntry(models.Model):
    """One message the dev back-end accepted, as a provider would keep it. Append-only; the message it
    came from carries the status. Shown at ``/dev/outbox/``."""

    message = models.ForeignKey("outreach.Message", on_delete=models.CASCADE, related_name="dev_outbox_entries")
    idempotency_key = models.CharField(max_length=120, unique=True)
    provider_message_id = models.CharField(max_length=40, unique=True)
    channel = models.CharField(max_length=10)
    to_address = models.CharField(max_length=254, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "dev outbox entries"

    def __str__(self):
        return f"dev {self.channel} to {self.to_address}"
