"""Filters shared by the template list page and the API."""

import django_filters

from .models import MessageTemplate


class MessageTemplateFilter(django_filters.FilterSet):
    creditor = django_filters.CharFilter(field_name="creditor__slug")
    is_global = django_filters.BooleanFilter(field_name="creditor", lookup_expr="isnull")

    class Meta:
        model = MessageTemplate
        fields = ["channel", "language", "purpose", "status"]
