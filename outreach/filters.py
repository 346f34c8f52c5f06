"""Filters shared by the template list page and the API."""

import django_filters

from .models import Message, MessageTemplate


class MessageTemplateFilter(django_filters.FilterSet):
    creditor = django_filters.CharFilter(field_name="creditor__slug")
    is_global = django_filters.BooleanFilter(field_name="creditor", lookup_expr="isnull")

    class Meta:
        model = MessageTemplate
        fields = ["channel", "language", "purpose", "status"]


class MessageFilter(django_filters.FilterSet):
    """Messages by account, customer, channel, status, direction, classification, source, and time."""

    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Message
        fields = ["account", "customer", "case", "channel", "status", "direction", "classification", "source",
                  "purpose"]
