"""Messages API: read the interactions (agents), and send one through the contact gate."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import IsAgent

from ..choices import MessageSource, MessageStatus
from ..filters import MessageFilter
from ..models import Message
from ..selectors import message_list
from ..services import message_queue
from .serializers import MessageSendSerializer, MessageSerializer


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every message, outbound and inbound, calls included (filter by account, customer, channel,
    status…). ``POST /api/messages/send/`` sends one as the signed-in agent."""

    serializer_class = MessageSerializer
    permission_classes = [IsAgent]
    filterset_class = MessageFilter
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return message_list()

    @extend_schema(
        request=MessageSendSerializer,
        responses={
            201: MessageSerializer, 200: OpenApiResponse(MessageSerializer, description="The same idempotency key "
                                                                                        "again: the message made then"),
            409: OpenApiResponse(description="Blocked by the contact gate: reasons and the next allowed time"),
            400: OpenApiResponse(description="Bad input, no approved template, WhatsApp's 24-hour window…"),
        },
    )
    @action(detail=False, methods=["post"])
    def send(self, request):
        data = MessageSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        account = values["account"]
        key = values.get("idempotency_key")
        replay = bool(key) and Message.objects.filter(idempotency_key=key).exists()
        message = message_queue(
            customer=account.customer, account=account, channel=values["channel"], purpose=values["purpose"],
            actor=request.user, template=values.get("template"), body=values.get("text"),
            subject=values.get("subject"), source=MessageSource.AGENT, idempotency_key=key,
        )
        message = message_list().get(pk=message.pk)
        body = MessageSerializer(message).data
        if message.status == MessageStatus.BLOCKED:
            decision = message.gate_decision
            return Response({
                "detail": "The contact rules do not allow this message now.",
                "reasons": decision.reasons if decision else [], "next_allowed_at": body["next_allowed_at"],
                "message": body,
            }, status=status.HTTP_409_CONFLICT)
        return Response(body, status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED)
