from decimal import Decimal

from rest_framework import serializers

from accounts.models import Account

from ..choices import AcceptanceChannel, Frequency, PlanKind
from ..models import Instalment, InstalmentPlan, Payment, PromiseToPay, Settlement

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class PaymentSerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "account", "provider", "provider_payment_id", "purpose", "plan", "amount", "currency",
                  "status", "confirmation_number", "credit_amount", "credit_status", "reversed_amount",
                  "failure_reason", "card_brand", "card_last4", "received_at", "created_at"]
        read_only_fields = fields


class CheckoutStartSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("creditor"))
    amount = serializers.DecimalField(**AMOUNT)
    currency = serializers.CharField(max_length=3, required=False)
    idempotency_key = serializers.CharField(max_length=80)


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["seq", "due_date", "amount", "paid_amount", "status"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = InstalmentPlan
        fields = ["id", "account", "status", "kind", "frequency", "total", "deferred_amount", "currency", "terms_text",
                  "terms_language", "outside_policy", "policy_reasons", "proposed_by", "approved_by", "approved_at",
                  "accepted_at", "accepted_channel", "accepted_ip", "broken_at", "created_at", "instalments"]
        read_only_fields = fields


class ScheduleItemSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    amount = serializers.DecimalField(**AMOUNT)


class PlanRequestSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("creditor", "customer"))
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    count = serializers.IntegerField(min_value=1, max_value=104, required=False)
    start = serializers.DateField(required=False)
    items = ScheduleItemSerializer(many=True, required=False)
    deferred = serializers.DecimalField(**AMOUNT, required=False, default=Decimal("0"))
    language = serializers.ChoiceField(choices=["en", "pcm", "fr", "es"], required=False)
    allow_exception = serializers.BooleanField(required=False, default=False)
    kind = serializers.ChoiceField(choices=PlanKind.choices, required=False, default=PlanKind.STANDARD)


class QuoteRequestSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("creditor", "customer"))
    start = serializers.DateField(required=False)
    language = serializers.ChoiceField(choices=["en", "pcm", "fr", "es"], required=False)


class AcceptSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=AcceptanceChannel.choices)
    ip = serializers.IPAddressField(required=False, allow_null=True)


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["id", "account", "status", "balance_at_offer", "amount", "currency", "percent", "expires_on",
                  "terms_text", "terms_language", "below_floor", "proposed_by", "approved_by", "approved_at",
                  "accepted_at", "accepted_channel", "accepted_ip", "paid_at", "created_at"]
        read_only_fields = fields


class SettlementRequestSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("creditor", "customer"))
    amount = serializers.DecimalField(**AMOUNT)
    currency = serializers.CharField(max_length=3, required=False)
    expires_on = serializers.DateField(required=False)
    language = serializers.ChoiceField(choices=["en", "pcm", "fr", "es"], required=False)


class PromiseSerializer(serializers.ModelSerializer):
    class Meta:
        model = PromiseToPay
        fields = ["id", "account", "amount", "currency", "due_date", "channel", "taken_by", "status", "paid_amount",
                  "reminded_at", "resolved_at", "created_at"]
        read_only_fields = ["id", "currency", "taken_by", "status", "paid_amount", "reminded_at", "resolved_at",
                            "created_at"]



class PromiseRequestSerializer(serializers.Serializer):
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.select_related("creditor"))
    amount = serializers.DecimalField(**AMOUNT)
    currency = serializers.CharField(max_length=3, required=False)
    due_date = serializers.DateField()
    channel = serializers.ChoiceField(choices=AcceptanceChannel.choices)
