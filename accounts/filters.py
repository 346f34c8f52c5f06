"""FilterSets shared by the API and the list pages."""

import django_filters

from .choices import AccountStatus, CaseStatus, Channel, DelinquencyBucket, Language, Queue, RoutingReason
from .models import Account, Case, Creditor, Customer


class CreditorFilter(django_filters.FilterSet):
    class Meta:
        model = Creditor
        fields = {"slug": ["exact"], "country": ["exact"], "currency": ["exact"], "is_active": ["exact"]}


class CustomerFilter(django_filters.FilterSet):
    creditor = django_filters.CharFilter(field_name="creditor__slug")
    preferred_channel = django_filters.ChoiceFilter(choices=Channel.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    name = django_filters.CharFilter(method="filter_name")

    class Meta:
        model = Customer
        fields = ["creditor", "external_ref", "email", "phone", "preferred_channel", "language", "country"]

    def filter_name(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(first_name__icontains=value) | Q(last_name__icontains=value))


class AccountFilter(django_filters.FilterSet):
    creditor = django_filters.CharFilter(field_name="creditor__slug")
    status = django_filters.MultipleChoiceFilter(choices=AccountStatus.choices)
    delinquency_bucket = django_filters.MultipleChoiceFilter(choices=DelinquencyBucket.choices)
    balance_min = django_filters.NumberFilter(field_name="balance", lookup_expr="gte")
    balance_max = django_filters.NumberFilter(field_name="balance", lookup_expr="lte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Account
        fields = ["creditor", "customer", "reference", "currency", "status", "delinquency_bucket"]


class CaseFilter(django_filters.FilterSet):
    creditor = django_filters.CharFilter(field_name="creditor__slug")
    queue = django_filters.MultipleChoiceFilter(choices=Queue.choices)
    routing_reason = django_filters.MultipleChoiceFilter(choices=RoutingReason.choices)
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices)
    unassigned = django_filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
    sla_due_before = django_filters.IsoDateTimeFilter(field_name="sla_due_at", lookup_expr="lte")

    class Meta:
        model = Case
        fields = ["creditor", "queue", "routing_reason", "status", "assignee", "priority"]
