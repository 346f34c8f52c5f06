"""API for consents, holds and disputes. Agents read and record; lifting a hold needs a supervisor."""

from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import IsAgent, IsSupervisor

from .. import services
from ..selectors import consent_list, dispute_list, hold_list
from .serializers import (
    ConsentSerializer,
    ConsentWriteSerializer,
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
