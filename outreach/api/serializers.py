from rest_framework import serializers

from accounts.choices import Channel, Language
from accounts.models import Account, Creditor

from ..choices import Purpose
from ..models import Message, MessageTemplate


class MessageTemplateSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MessageTemplate
        fields = [
            "id", "creditor", "channel", "language", "purpose", "version", "status", "subject", "body",
            "whatsapp_approved", "whatsapp_template_name", "care_passed", "care_report", "based_on",
            "created_by", "approved_by", "approved_at", "retired_at", "created_at", "updated_at",
        ]
        read_only_fields = fields


class MessageTemplateCreateSerializer(serializers.Serializer):
    creditor = serializers.SlugRelatedField(
        slug_field="slug", queryset=Creditor.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000)
    whatsapp_approved = serializers.BooleanField(required=False, default=False)
    whatsapp_template_name = serializers.CharField(max_length=512, required=False, allow_blank=True, default="")


class MessageTemplateUpdateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000)
    whatsapp_approved = serializers.BooleanField(required=False)
    whatsapp_template_name = serializers.CharField(max_length=512, required=False, allow_blank=True)


class TemplatePreviewRequestSerializer(serializers.Serializer):
    creditor = serializers.SlugRelatedField(
        slug_field="slug", queryset=Creditor.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000, allow_blank=True)


class GateDecisionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    next_allowed_at = serializers.DateTimeField(allow_null=True)
    rule_version = serializers.CharField()
    at = serializers.DateTimeField()


class MessageSerializer(serializers.ModelSerializer):
    """One interaction on the case timeline."""

    gate_decision = GateDecisionSummarySerializer(read_only=True, allow_null=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id", "customer", "account", "case", "direction", "channel", "purpose", "source", "template",
            "template_version", "language", "subject", "body", "to_address", "from_address", "status",
            "status_reason", "gate_decision", "contact_attempt", "next_allowed_at", "idempotency_key",
            "provider_message_id", "provider_status", "error", "retry_count", "scheduled_at", "queued_at",
            "sending_at", "sent_at", "delivered_at", "failed_at", "cancelled_at", "received_at", "actor",
            "call_outcome", "duration_seconds", "notes", "transcript", "classification", "extracted", "created_at",
        ]
        read_only_fields = fields


class MessageSendSerializer(serializers.Serializer):
    """An agent's message: a template purpose (the approved template is chosen in the customer's
    language), an approved template id, or free text; always through the contact gate."""

    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("customer", "creditor"))
    channel = serializers.ChoiceField(choices=[*Channel.choices, ("preferred", "Customer's preferred channel")])
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False)
    template = serializers.PrimaryKeyRelatedField(queryset=MessageTemplate.objects.all(), required=False,
                                                  allow_null=True)
    text = serializers.CharField(required=False, allow_blank=False, max_length=5000)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=200)
    idempotency_key = serializers.CharField(required=False, max_length=100,
                                            help_text="Send the same key again (e.g. after a timeout) to get the "
                                                      "same message back instead of a second one.")

    def validate(self, attrs):
        template = attrs.get("template")
        if template is None and not attrs.get("purpose"):
            raise serializers.ValidationError({"purpose": "Choose what the message is for, or a template."})
        if template is not None and attrs.get("text"):
            raise serializers.ValidationError({"text": "Send a template or a text, not both."})
        if template is not None:
            attrs.setdefault("purpose", template.purpose)
        return attrs
