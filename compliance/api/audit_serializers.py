from rest_framework import serializers

from ..models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id", "seq", "at", "action", "actor", "actor_id", "object_type", "object_id", "creditor_id",
            "account_id", "customer_id", "payload", "prev_hash", "hash",
        ]
        read_only_fields = fields
