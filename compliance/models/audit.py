"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One thing that happened (a contact, a gate decision, a consent change, a hold, a dispute, a
    payment, a login, an export, an admin change). Each event carries the SHA-256 of the previous
    event and of its own canonical payload, so an edit or deletion anywhere breaks the chain.
    Nothing updates or deletes rows here (on PostgreSQL a trigger refuses it)."""

    seq = models.BigIntegerField(unique=True, help_text="Position in the chain, from 1, no gaps.")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    # Plain ids (no database foreign key) so retention can purge a customer without breaking the chain.
    creditor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    account_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
