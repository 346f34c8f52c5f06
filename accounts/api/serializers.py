from rest_framework import serializers

from ..models import Account, Case, Creditor, Customer


class CreditorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Creditor
        fields = [
            "id", "slug", "name", "display_name", "logo_url", "brand_primary", "brand_accent",
            "sender_email_name", "sender_sms_id", "tone_of_voice", "support_phone", "support_email",
            "country", "region", "currency", "default_phone_region", "default_language",
            "high_value_threshold", "min_instalment_amount", "max_plan_months", "settlement_floor_percent",
            "is_active", "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class CustomerSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id", "creditor", "external_ref", "first_name", "last_name", "email", "phone", "city",
            "postal_code", "region", "country", "time_zone", "possible_time_zones", "preferred_channel",
            "language", "contact_hours_start", "contact_hours_end", "vulnerability_flags", "customer_since",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class AccountSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    days_past_due = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = [
            "id", "creditor", "customer", "reference", "product", "currency", "principal", "interest", "fees",
            "credits", "placed_amount", "balance", "opened_on", "due_date", "itemization_date",
            "last_payment_date", "placed_at", "status", "delinquency_bucket", "days_past_due", "updated_at",
        ]
        read_only_fields = fields

    def get_days_past_due(self, obj) -> int:
        return obj.days_past_due()


class CaseSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    account_reference = serializers.CharField(source="account.reference", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "account", "account_reference", "creditor", "queue", "routing_reason", "routing_note",
            "status", "assignee", "priority", "sla_due_at", "opened_at", "routed_at", "closed_at",
        ]
        read_only_fields = fields
