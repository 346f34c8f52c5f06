from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsAgent, SupervisorWritesAgentReads

from ..filters import MessageTemplateFilter
from ..rendering import TEMPLATE_VARIABLES
from ..selectors import message_template_list, message_template_versions, template_preview
from ..services import (
    message_template_approve,
    message_template_create,
    message_template_retire,
    message_template_update,
)
from .serializers import (
    MessageTemplateCreateSerializer,
    MessageTemplateSerializer,
    MessageTemplateUpdateSerializer,
    TemplatePreviewRequestSerializer,
)


def preview_payload(preview) -> dict:
    return {
        "problem": preview.problem,
        "rendered": asdict(preview.rendered) if preview.rendered else None,
        "care": preview.care.as_dict(),
        "jurisdiction": preview.jurisdiction,
    }


class MessageTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Message templates: agents read; supervisors write drafts, approve and retire. Editing an
    approved template returns a new draft version (201)."""

    serializer_class = MessageTemplateSerializer
    permission_classes = [SupervisorWritesAgentReads]
    filterset_class = MessageTemplateFilter
    ordering_fields = ["id", "purpose", "version", "updated_at"]

    def get_queryset(self):
        return message_template_list()

    @extend_schema(request=MessageTemplateCreateSerializer, responses=MessageTemplateSerializer)
    def create(self, request, *args, **kwargs):
        data = MessageTemplateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = message_template_create(actor=request.user, **data.validated_data)
        return Response(MessageTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MessageTemplateUpdateSerializer, responses=MessageTemplateSerializer)
    def update(self, request, *args, **kwargs):
        template = self.get_object()
        partial = kwargs.pop("partial", False)
        payload = dict(request.data.items())
        if partial:
            payload.setdefault("body", template.body)
            payload.setdefault("subject", template.subject)
        data = MessageTemplateUpdateSerializer(data=payload)
        data.is_valid(raise_exception=True)
        updated = message_template_update(actor=request.user, template=template, **data.validated_data)
        code = status.HTTP_201_CREATED if updated.pk != template.pk else status.HTTP_200_OK
        return Response(MessageTemplateSerializer(updated).data, status=code)

    @extend_schema(request=None, responses=MessageTemplateSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        template = message_template_approve(actor=request.user, template=self.get_object())
        return Response(MessageTemplateSerializer(template).data)

    @extend_schema(request=None, responses=MessageTemplateSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        template = message_template_retire(actor=request.user, template=self.get_object())
        return Response(MessageTemplateSerializer(template).data)

    @extend_schema(responses=MessageTemplateSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        versions = message_template_versions(template=self.get_object())
        return Response(MessageTemplateSerializer(versions, many=True).data)

    @extend_schema(request=TemplatePreviewRequestSerializer, responses=dict)
    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated, IsAgent])
    def preview(self, request):
        """Render a draft on a sample customer and run the care check; writes nothing."""
        data = TemplatePreviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(preview_payload(template_preview(**data.validated_data)))

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def variables(self, request):
        """The documented context a template may use."""
        return Response({name: str(text) for name, text in TEMPLATE_VARIABLES.items()})
