"""The desk API: cases (my queue, a queue, one case with its timeline and contact-now), next case, the
actions (the same forms and services as the desk pages), queue sizes, approvals and routing policies."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Case, Creditor
from accounts.permissions import IsAgent, IsSupervisor
from accounts.services_assignment import case_take_next
from accounts.services_routing import routing_policy_for, routing_policy_set
from collections_crm.errors import ApplicationError
from compliance.models import Dispute

from ..actions import case_action_run
from ..forms import ACTION_FORMS
from ..models import ApprovalRequest
from ..selectors import approvals_pending, case_timeline, contact_now, queue_cases, queue_stats
from ..services import approval_decide
from .serializers import (
    ApprovalDecisionSerializer,
    ChannelNowSerializer,
    DeskCaseSerializer,
    NextCaseSerializer,
    QueueStatSerializer,
    RoutingPolicySerializer,
    TimelineItemSerializer,
)


class DeskCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases for the desk. ``?scope=mine|unassigned|all`` (default mine), ``queue``, ``status`` (open,
    waiting, closed, any), ``q``. POST ``/{id}/{action}/`` runs one action with the case's ``version``."""

    serializer_class = DeskCaseSerializer
    permission_classes = [IsAgent]
    ordering = ["priority", "id"]
    ordering_fields = ["priority", "id", "opened_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        p = self.request.query_params
        if self.action != "list":
            return queue_cases(user=self.request.user, scope="any", status="any")
        return queue_cases(user=self.request.user, scope=p.get("scope", "mine"), queue=p.get("queue", ""),
                           status=p.get("status", "open"), q=p.get("q", ""))

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        data = self.get_serializer(case).data
        data["timeline"] = TimelineItemSerializer(case_timeline(case), many=True).data
        data["contact_now"] = ChannelNowSerializer(contact_now(case), many=True).data
        return Response(data)

    def _run(self, request, pk, name):
        if name == "assign" and not request.user.has_role("supervisor"):
            return Response({"detail": "Only a supervisor can assign cases."}, status=status.HTTP_403_FORBIDDEN)
        case = get_object_or_404(Case, pk=pk)
        kwargs = {"case": case}
        if name == "dispute-resolve":
            kwargs["disputes"] = Dispute.objects.filter(account_id=case.account_id)
        form = ACTION_FORMS[name](data=request.data, **kwargs)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        try:
            _result, level, message = case_action_run(name=name, case=case, actor=request.user,
                                                      data=form.cleaned_data)
        except ApplicationError as exc:
            code = status.HTTP_409_CONFLICT if exc.extra.get("code") in ("case_changed", "already_taken", "closed",
                                                                           "not_yours") else 400
            return Response({"detail": exc.message, **{k: v for k, v in exc.extra.items()}}, status=code)
        case = queue_cases(user=request.user, scope="any", status="any").get(pk=case.pk)
        return Response({"detail": message, "level": level, "case": DeskCaseSerializer(case).data})


def _action_route(name):
    def handler(self, request, pk=None):
        return self._run(request, pk, name)

    handler.__name__ = f"action_{name.replace('-', '_')}"
    handler.__doc__ = f"Run the desk action '{name}' (form fields as in the desk, plus the case's version)."
    return extend_schema(request=None, responses=None)(
        action(detail=True, methods=["post"], url_path=name, url_name=name)(handler))


for _name in ACTION_FORMS:
    setattr(DeskCaseViewSet, f"action_{_name.replace('-', '_')}", _action_route(_name))


class NextCaseView(APIView):
    """Take the most urgent case this agent may work (optionally in one queue)."""

    permission_classes = [IsAgent]

    @extend_schema(request=NextCaseSerializer, responses=DeskCaseSerializer)
    def post(self, request):
        body = NextCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = case_take_next(agent=request.user, queue=body.validated_data.get("queue") or None)
        return Response(DeskCaseSerializer(case).data)


class QueueStatsView(APIView):
    """Cases per human queue: to do, waiting, unassigned, past SLA."""

    permission_classes = [IsAgent]

    @extend_schema(responses=QueueStatSerializer(many=True))
    def get(self, request):
        return Response(QueueStatSerializer(queue_stats(creditor=request.query_params.get("creditor", "")),
                                            many=True).data)


class ApprovalsView(APIView):
    """What waits for a supervisor: desk requests, plans outside policy, settlements below the floor."""

    permission_classes = [IsSupervisor]

    @extend_schema(responses=None)
    def get(self, request):
        pending = approvals_pending()
        return Response({
            "requests": [{"id": r.pk, "case": r.case_id, "kind": r.kind, "proposed_outcome": r.proposed_outcome,
                          "note": r.note, "requested_by": r.requested_by.username, "requested_at": r.requested_at}
                         for r in pending["requests"]],
            "plans": [{"id": p.pk, "account": p.account_id, "total": str(p.total), "reasons": p.policy_reasons,
                       "proposed_by": p.proposed_by.username} for p in pending["plans"]],
            "settlements": [{"id": s.pk, "account": s.account_id, "amount": str(s.amount), "percent": str(s.percent)}
                            for s in pending["settlements"]],
        })


class ApprovalDecideView(APIView):
    permission_classes = [IsSupervisor]

    @extend_schema(request=ApprovalDecisionSerializer, responses=None)
    def post(self, request, pk):
        body = ApprovalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = approval_decide(request=get_object_or_404(ApprovalRequest, pk=pk), actor=request.user,
                                  approve=body.validated_data["decision"] == "approve",
                                  note=body.validated_data.get("note", ""))
        return Response({"id": decided.pk, "status": decided.status})


class RoutingPolicyView(APIView):
    """One creditor's routing policy: GET (everyone on the desk), PUT (supervisors)."""

    def get_permissions(self):
        return [IsAgent()] if self.request.method == "GET" else [IsSupervisor()]

    @extend_schema(responses=RoutingPolicySerializer)
    def get(self, request, slug):
        return Response(RoutingPolicySerializer(routing_policy_for(get_object_or_404(Creditor, slug=slug))).data)

    @extend_schema(request=RoutingPolicySerializer, responses=RoutingPolicySerializer)
    def put(self, request, slug):
        creditor = get_object_or_404(Creditor, slug=slug)
        body = RoutingPolicySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        try:
            policy = routing_policy_set(creditor=creditor, actor=request.user,
                                        high_value_threshold=v.get("high_value_threshold"),
                                        sla_hours=v.get("sla_hours"), broken_plan_limit=v.get("broken_plan_limit"),
                                        disabled_queues=v.get("disabled_queues"))
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(RoutingPolicySerializer(policy).data)
