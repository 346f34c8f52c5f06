"""API door to the placement import: POST a CSV (multipart: file + creditor slug), read past imports."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from collections_crm.errors import ApplicationError

from ..choices import PlacementSource
from ..models import Creditor, PlacementImport
from ..permissions import IsSupervisor
from ..placement.forms import too_big_message
from ..placement.selectors import placement_import_list
from ..placement.services import placement_import

API_ERRORS_SHOWN = 100


class PlacementImportSerializer(serializers.ModelSerializer):
    creditor = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PlacementImport
        fields = [
            "id", "creditor", "actor", "source", "file_name", "sha256", "size_bytes", "status", "message",
            "rows_total", "created", "updated", "unchanged", "rejected", "errors_truncated", "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class PlacementImportDetailSerializer(PlacementImportSerializer):
    errors = serializers.SerializerMethodField(help_text=f"The first {API_ERRORS_SHOWN} rejected rows.")

    class Meta(PlacementImportSerializer.Meta):
        fields = [*PlacementImportSerializer.Meta.fields, "errors"]
        read_only_fields = fields

    def get_errors(self, obj) -> list[dict]:
        return obj.errors[:API_ERRORS_SHOWN]


class PlacementUploadSerializer(serializers.Serializer):
    creditor = serializers.CharField(help_text="The creditor's slug.")
    file = serializers.FileField(help_text="Placement CSV, UTF-8 (see docs/placement-format.md).")

    def validate_creditor(self, value: str) -> Creditor:
        creditor = Creditor.objects.filter(slug=value).first()
        if creditor is None:
            raise serializers.ValidationError(f"No creditor with slug “{value}”.")
        return creditor


class PlacementImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Placement imports (supervisors). POST imports a file and answers with the summary and the first
    rejected rows; 201 when the file was read (even if some rows were rejected), 400 when refused whole."""

    permission_classes = [IsSupervisor]
    parser_classes = [MultiPartParser]
    ordering_fields = ["id", "started_at"]
    filterset_fields = ["creditor", "status", "source"]

    def get_queryset(self):
        qs = placement_import_list()
        return qs if self.action == "list" else qs.defer(None)

    def get_serializer_class(self):
        if self.action == "create":
            return PlacementUploadSerializer
        return PlacementImportDetailSerializer if self.action == "retrieve" else PlacementImportSerializer

    @extend_schema(request=PlacementUploadSerializer, responses={201: PlacementImportDetailSerializer})
    def create(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PLACEMENT_UPLOAD_MAX_BYTES + 64 * 1024:
            return Response({"detail": too_big_message(settings.PLACEMENT_UPLOAD_MAX_BYTES)},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        serializer = PlacementUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > settings.PLACEMENT_UPLOAD_MAX_BYTES:
            return Response({"detail": too_big_message(settings.PLACEMENT_UPLOAD_MAX_BYTES)},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        with upload.open("rb") as stream:
            result = placement_import(
                creditor=serializer.validated_data["creditor"], stream=stream, actor=request.user,
                file_name=upload.name, source=PlacementSource.API,
            )
        body = PlacementImportDetailSerializer(result).data
        if result.message:
            raise ApplicationError(result.message, {"import": body})
        return Response(body, status=status.HTTP_201_CREATED)
