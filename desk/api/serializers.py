from rest_framework import serializers

from accounts.models import Case, RoutingPolicy


class DeskCaseSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    account_reference = serializers.CharField(source="account.reference", read_only=True)
    customer_name = serializers.CharField(source="account.customer.full_name", read_only=True)
    customer_language = serializers.CharField(source="account.customer.language", read_only=True)
    balance = serializers.DecimalField(source="account.balance", max_digits=14, decimal_places=2, read_only=True)
    currency = serializers.CharField(source="account.currency", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "version", "account", "account_reference", "creditor", "customer_name", "customer_language",
            "balance", "currency", "queue", "routing_reason", "routing_note", "status", "assignee", "priority",
            "sla_due_at", "opened_at", "routed_at", "closed_at", "complaint_open", "review_requested",
        ]
        read_only_fields = fields


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    who = serializers.CharField()


class ChannelNowSerializer(serializers.Serializer):
    channel = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    next_allowed_at = serializers.DateTimeField(allow_null=True)


class QueueStatSerializer(serializers.Serializer):
    queue = serializers.CharField()
    label = serializers.CharField()
    open = serializers.IntegerField()
    waiting = serializers.IntegerField()
    unassigned = serializers.IntegerField()
    breached = serializers.IntegerField()
    oldest_due = serializers.DateTimeField(allow_null=True)


class NextCaseSerializer(serializers.Serializer):
    queue = serializers.CharField(required=False, allow_blank=True)


class ApprovalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RoutingPolicySerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = RoutingPolicy
        fields = ["creditor", "high_value_threshold", "sla_hours", "broken_plan_limit", "disabled_queues",
                  "updated_at"]
        read_only_fields = ["creditor", "updated_at"]
