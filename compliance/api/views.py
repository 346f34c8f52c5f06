"""API for consents, holds and disputes. Agents read and record; lifting a hold needs a supervisor."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Customer
from accounts.permissions import IsAgent, IsSupervisor

from .. import services
from ..selectors import consent_list, contact_preference_values, dispute_list, hold_list
from .serializers import (
    ConsentSerializer,
    ConsentWriteSerializer,
    ContactPreferenceSerializer,
    DisputeResolveSerializer,
    DisputeSerializer,
    DisputeWriteSerializer,
    HoldSerializer,
    HoldWriteSerializer,
    LiftSerializer,
)


class ConsentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Consent records (append-only). POST records a grant or a revocation."""

    serializer_class = ConsentSerializer
    permission_classes = [IsAgent]
    filterset_fields = ["customer", "channel", "status", "source"]

    def get_queryset(self):
        return consent_list()

    def create(self, request):
        data = ConsentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        write = services.consent_grant if v.pop("status") == "granted" else services.consent_revoke
        record = write(actor=request.user, **v)
        return Response(ConsentSerializer(record).data, status=status.HTTP_201_CREATED)


class HoldViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HoldSerializer
    filterset_fields = ["customer", "account", "kind", "status"]

    def get_permissions(self):
        return [IsSupervisor()] if self.action == "lift" else [IsAgent()]

    def get_queryset(self):
        return hold_list()

    def create(self, request):
        data = HoldWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = services.hold_place(actor=request.user, **data.validated_data)
        return Response(HoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        data = LiftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = services.hold_lift(hold=self.get_object(), reason=data.validated_data["reason"], actor=request.user)
        return Response(HoldSerializer(hold).data)


class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DisputeSerializer
    permission_classes = [IsAgent]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["account", "customer", "status", "reason"]

    def get_queryset(self):
        return dispute_list()

    def create(self, request):
        data = DisputeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.dispute_open(actor=request.user, **data.validated_data)
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        data = DisputeResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.dispute_resolve(dispute=self.get_object(), actor=request.user, **data.validated_data)
        return Response(DisputeSerializer(dispute).data)


class CustomerPreferencesView(APIView):
    """A customer's contact preferences. GET for agents; PUT/PATCH record the customer's own wishes (an
    agent writes them down; a PUT resets what it does not give)."""

    permission_classes = [IsAgent]
    serializer_class = ContactPreferenceSerializer

    def _customer(self, customer_id):
        return get_object_or_404(Customer.objects.select_related("creditor"), pk=customer_id)

    def get(self, request, customer_id):
        return Response(contact_preference_values(customer=self._customer(customer_id)))

    def put(self, request, customer_id):
        return self._write(request, customer_id, partial=False)

    def patch(self, request, customer_id):
        return self._write(request, customer_id, partial=True)

    def _write(self, request, customer_id, *, partial):
        customer = self._customer(customer_id)
        data = ContactPreferenceSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason", "customer asked (recorded by an agent)")
        if not partial:
            values = {"hours_start": None, "hours_end": None, "days": [], "no_contact_at_work": False,
                      "work_start": None, "work_end": None, "work_days": [], **values}
        services.contact_preference_set(customer=customer, actor=request.user, reason=reason, **values)
        return Response(contact_preference_values(customer=customer))
