"""FilterSets shared by the audit pages and the audit API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Creditor

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    """Filter by creditor, account, customer, user, model, action (a prefix: ``auth`` matches every
    ``auth.*``) and date range."""

    creditor = django_filters.ModelChoiceFilter(
        queryset=Creditor.objects.all(), to_field_name="slug", method="filter_creditor", label=_("Creditor")
    )
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer id"))
    user = django_filters.CharFilter(field_name="actor_username", lookup_expr="iexact", label=_("User"))
    model = django_filters.CharFilter(field_name="object_type", lookup_expr="iexact", label=_("Model"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("Object id"))
    action = django_filters.CharFilter(method="filter_action", label=_("Action"))
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = AuditEvent
        fields = ["creditor", "account", "customer", "user", "model", "object_id", "action", "date_from", "date_to"]

    def filter_creditor(self, queryset, name, value):
        return queryset.filter(creditor_id=value.pk)

    def filter_action(self, queryset, name, value):
        value = value.strip()
        if "." in value:
            return queryset.filter(action=value)
        return queryset.filter(Q(action__startswith=value + ".") | Q(action=value))
