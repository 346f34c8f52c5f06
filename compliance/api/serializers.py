from rest_framework import serializers

from accounts.models import Account, Customer

from ..choices import ConsentSource, ConsentStatus, DisputeReason, DisputeSource, DisputeStatus, HoldKind
from ..models import ConsentRecord, Dispute, Hold
from ..rules import ALL_CHANNELS


class ConsentSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ConsentRecord
        fields = ["id", "customer", "channel", "status", "source", "address", "evidence", "at", "actor"]
        read_only_fields = ["id", "at", "actor"]


class ConsentWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    channel = serializers.ChoiceField(choices=sorted(ALL_CHANNELS))
    status = serializers.ChoiceField(choices=ConsentStatus.choices)
    source = serializers.ChoiceField(choices=ConsentSource.choices, default=ConsentSource.AGENT)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")


class HoldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hold
        fields = ["id", "customer", "account", "kind", "status", "starts_at", "ends_at", "reason", "placed_at",
                  "lifted_at", "lift_reason"]
        read_only_fields = fields


class HoldWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=HoldKind.choices)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not attrs.get("customer") and not attrs.get("account"):
            raise serializers.ValidationError("Give a customer or an account.")
        return attrs


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DisputeSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = ["id", "account", "customer", "reason", "description", "source", "disputed_amount", "status",
                  "opened_at", "sla_due_at", "hold", "verification_note", "resolved_at", "files"]
        read_only_fields = fields

    def get_files(self, obj):
        return [e.name for e in obj.evidence.all()]


class DisputeWriteSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("customer"))
    reason = serializers.ChoiceField(choices=DisputeReason.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=DisputeSource.choices, default=DisputeSource.AGENT)
    disputed_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    files = serializers.ListField(child=serializers.FileField(max_length=200), required=False, default=list)


class DisputeResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(s.value, s.label) for s in DisputeStatus
                                               if s in DisputeStatus.resolved_states()])
    note = serializers.CharField()


class ContactPreferenceSerializer(serializers.Serializer):
    """The customer's contact wishes. Weekdays are 0 (Monday) to 6 (Sunday); empty ``days`` = any day;
    empty ``work_days`` = Monday-Friday."""

    hours_start = serializers.TimeField(allow_null=True, required=False)
    hours_end = serializers.TimeField(allow_null=True, required=False)
    days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False,
                                 max_length=7)
    no_contact_at_work = serializers.BooleanField(required=False)
    work_start = serializers.TimeField(allow_null=True, required=False)
    work_end = serializers.TimeField(allow_null=True, required=False)
    work_days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False,
                                      max_length=7)
    reason = serializers.CharField(max_length=200, required=False, write_only=True)
