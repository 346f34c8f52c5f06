from rest_framework import serializers

from accounts.choices import Channel, Language
from accounts.models import Creditor

from ..choices import Purpose
from ..models import MessageTemplate


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
