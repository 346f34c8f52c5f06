"""REST API for cadences and campaigns: agents read, supervisors write (switch a cadence on or off;
create, edit, launch and pause campaigns). Cursor pagination and role permissions as elsewhere."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Creditor
from accounts.permissions import SupervisorWritesAgentReads

from .campaigns import (
    EDITABLE,
    campaign_audience,
    campaign_create,
    campaign_launch,
    campaign_pause,
    campaign_update,
)
from .models import Cadence, CadenceStep, Campaign
from .selectors import cadence_list
from .services import cadence_set_active


class CadenceStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CadenceStep
        fields = ["id", "order", "anchor", "offset_days", "channel", "purpose", "require_no_payment",
                  "require_no_reply", "require_not_in_plan"]


class CadenceSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    steps = CadenceStepSerializer(many=True, read_only=True)
    active_enrolments = serializers.IntegerField(source="active_count", read_only=True)

    class Meta:
        model = Cadence
        fields = ["id", "slug", "name", "description", "creditor", "buckets", "balance_min", "balance_max",
                  "products", "priority", "is_active", "steps", "active_enrolments", "updated_at"]
        read_only_fields = fields


class CadenceActiveSerializer(serializers.Serializer):
    is_active = serializers.BooleanField()


class CadenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cadences with their steps and how many cases follow each now. Supervisors switch them on or off."""

    serializer_class = CadenceSerializer
    permission_classes = [SupervisorWritesAgentReads]
    ordering = "id"

    def get_queryset(self):
        return cadence_list().order_by("id")

    @extend_schema(request=CadenceActiveSerializer, responses=CadenceSerializer)
    @action(detail=True, methods=["post"])
    def activation(self, request, pk=None):
        data = CadenceActiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cadence = cadence_set_active(cadence=self.get_object(), active=data.validated_data["is_active"],
                                     actor=request.user)
        return Response(CadenceSerializer(self.get_queryset().get(pk=cadence.pk)).data)


class CampaignSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", queryset=Creditor.objects.all(), required=False,
                                            allow_null=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "description", "creditor", "buckets", "balance_min", "balance_max", "languages",
                  "channel", "purpose", "consent_required", "starts_at", "ends_at", "status", "launched_at",
                  "created_at"]
        read_only_fields = ["id", "status", "launched_at", "created_at"]


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Campaigns: agents read; supervisors create, edit (not while running), launch and pause."""

    serializer_class = CampaignSerializer
    permission_classes = [SupervisorWritesAgentReads]
    ordering = "-id"

    def get_queryset(self):
        return Campaign.objects.select_related("creditor").order_by("-id")

    def create(self, request, *args, **kwargs):
        data = CampaignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = campaign_create(actor=request.user, **{k: v for k, v in data.validated_data.items() if k in EDITABLE})
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        data = CampaignSerializer(campaign, data=request.data, partial=kwargs.pop("partial", False))
        data.is_valid(raise_exception=True)
        campaign = campaign_update(campaign=campaign, actor=request.user,
                                   **{k: v for k, v in data.validated_data.items() if k in EDITABLE})
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["get"])
    def audience(self, request, pk=None):
        return Response({"accounts": campaign_audience(self.get_object()).count()})

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        return Response(CampaignSerializer(campaign_launch(campaign=self.get_object(), actor=request.user)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return Response(CampaignSerializer(campaign_pause(campaign=self.get_object(), actor=request.user)).data)
