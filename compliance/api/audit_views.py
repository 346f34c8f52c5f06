"""Audit API for supervisors: read the audit log; download an account's evidence pack."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.views import APIView

from accounts.choices import Role
from accounts.models import Account
from accounts.permissions import IsSupervisor

from ..audit import audit_record
from ..audit_selectors import audit_event_list
from ..audit_views import evidence_pack_response
from ..evidence_pack import evidence_pack_build, evidence_pack_filename
from ..filters import AuditEventFilter
from .audit_serializers import AuditEventSerializer


class AuditEventListAPIView(generics.ListAPIView):
    """The audit log, filterable (creditor, account, customer, user, model, object_id, action, date_from,
    date_to), cursor-paginated. Supervisors only."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsSupervisor]
    filterset_class = AuditEventFilter
    ordering_fields = ["seq", "at", "id"]
    ordering = ["-seq"]

    def get_queryset(self):
        return audit_event_list()


class EvidencePackAPIView(APIView):
    """Download one account's evidence pack (ZIP). Supervisors only; a refused attempt is audited."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        if not request.user.has_role(Role.SUPERVISOR):
            audit_record(actor=request.user, action="export.denied",
                         payload={"export": "evidence_pack", "reason": "role", "pk": str(pk)})
            raise exceptions.PermissionDenied("Only supervisors can download evidence packs.")
        account = Account.objects.filter(pk=pk).select_related("creditor", "customer").first()
        if account is None:
            audit_record(actor=request.user, action="export.denied",
                         payload={"export": "evidence_pack", "reason": "not_found", "pk": str(pk)})
            raise Http404("No such account.")
        data = evidence_pack_build(account=account, actor=request.user)
        return evidence_pack_response(data, evidence_pack_filename(account))
