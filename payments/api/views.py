from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from .serializers import (
    AcceptSerializer,
    CheckoutStartSerializer,
    PaymentSerializer,
    PlanRequestSerializer,
    PlanSerializer,
    PromiseRequestSerializer,
    PromiseSerializer,
    QuoteRequestSerializer,
    SettlementRequestSerializer,
    SettlementSerializer,
)


def _account_filter(request):
    raw = request.query_params.get("account")
    return int(raw) if raw and raw.isdigit() else None


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Payments (read). ``POST checkout/`` opens a pay link: idempotent per (account, amount, key)."""

    serializer_class = PaymentSerializer
    ordering_fields = ["id", "created_at", "amount"]

    def get_queryset(self):
        return selectors.payment_list(account_id=_account_filter(self.request))

    @action(detail=False, methods=["post"])
    def checkout(self, request):
        data = CheckoutStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.checkout_start(actor=request.user, **data.validated_data)
        return Response({"session_id": session.provider_session_id, "url": session.url, "status": session.status,
                         "amount": str(session.amount), "currency": session.currency}, status=status.HTTP_201_CREATED)


def _schedule_items(data):
    return [(item["due_date"], item["amount"]) for item in data.pop("items", None) or []] or None


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Instalment plans: quote options, create (within policy, or as an exception for approval),
    approve (supervisor), accept, cancel."""

    serializer_class = PlanSerializer
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return selectors.plan_list(account_id=_account_filter(self.request))

    @action(detail=False, methods=["post"])
    def quote(self, request):
        data = QuoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = services.plan_options(**data.validated_data)
        return Response({"options": [
            {"label": o.label, "kind": o.kind, "frequency": o.frequency, "total": str(o.total), "terms_text": o.terms_text,
             "instalments": [{"due_date": d.isoformat(), "amount": str(a)} for d, a in o.schedule]}
            for o in options
        ]})

    def create(self, request):
        data = PlanRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = services.plan_create(actor=request.user, items=_schedule_items(values), **values)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = services.plan_approve(actor=request.user, plan=self.get_object())
        return Response(PlanSerializer(plan).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_accept(actor=request.user, plan=self.get_object(), **data.validated_data)
        return Response(PlanSerializer(plan).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        plan = services.plan_cancel(actor=request.user, plan=self.get_object(), reason=request.data.get("reason", ""))
        return Response(PlanSerializer(plan).data)


class SettlementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SettlementSerializer
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return selectors.settlement_list(account_id=_account_filter(self.request))

    def create(self, request):
        data = SettlementRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settlement_offer(actor=request.user, **data.validated_data)
        return Response(SettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(SettlementSerializer(services.settlement_approve(actor=request.user,
                                                                         settlement=self.get_object())).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settlement_accept(actor=request.user, settlement=self.get_object(), **data.validated_data)
        return Response(SettlementSerializer(settlement).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        settlement = services.settlement_cancel(actor=request.user, settlement=self.get_object(),
                                                reason=request.data.get("reason", ""))
        return Response(SettlementSerializer(settlement).data)


class PromiseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PromiseSerializer
    ordering_fields = ["id", "due_date", "created_at"]

    def get_queryset(self):
        return selectors.promise_list(account_id=_account_filter(self.request))

    def create(self, request):
        data = PromiseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        promise = services.promise_create(actor=request.user, **data.validated_data)
        return Response(PromiseSerializer(promise).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        promise = services.promise_cancel(actor=request.user, promise=self.get_object(),
                                          reason=request.data.get("reason", ""))
        return Response(PromiseSerializer(promise).data)
