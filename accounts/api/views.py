from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..filters import AccountFilter, CaseFilter, CreditorFilter, CustomerFilter
from ..permissions import SupervisorWritesAgentReads
from ..selectors import account_list, case_list, creditor_list, customer_list
from ..services import creditor_create, creditor_update
from .serializers import AccountSerializer, CaseSerializer, CreditorSerializer, CustomerSerializer


class CreditorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Creditors: agents read, supervisors create and change brand and policy."""

    serializer_class = CreditorSerializer
    permission_classes = [SupervisorWritesAgentReads]
    filterset_class = CreditorFilter
    ordering_fields = ["display_name", "slug", "created_at", "id"]
    lookup_field = "slug"

    def get_queryset(self):
        return creditor_list()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        creditor = creditor_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(creditor).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        creditor = self.get_object()
        serializer = self.get_serializer(creditor, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        creditor = creditor_update(actor=request.user, creditor=creditor, **serializer.validated_data)
        return Response(self.get_serializer(creditor).data)


class CustomerViewSet(viewsets.ReadOnlyModelViewSet):
    """Customers as placed (read-only here; preferences and consents have their own endpoints)."""

    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    ordering_fields = ["id", "last_name", "created_at", "updated_at"]

    def get_queryset(self):
        return customer_list()


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    """Accounts with itemisation, balance and status."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    ordering_fields = ["id", "reference", "balance", "due_date", "placed_at", "updated_at"]

    def get_queryset(self):
        return account_list()


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases: the queue, reason, assignee and SLA of each account."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["id", "priority", "sla_due_at", "opened_at"]

    def get_queryset(self):
        return case_list()

