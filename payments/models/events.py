from django.db import models
from django.utils import timezone

from ..choices import EventStatus, Provider


class ProviderEvent(models.Model):
    """Every webhook event, stored once by the provider's event id: a replay finds the row and does
    nothing. Processing happens afterwards in a Celery task."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    payload = models.JSONField()
    provider_created = models.BigIntegerField(default=0, help_text="The provider's event timestamp.")
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"{self.type} {self.event_id}"
