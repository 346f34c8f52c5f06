"""Property: whatever happens in between (consent changes, holds, messages blocked by the hour, the
send task run twice, a back-end called directly), no message reaches a back-end without an allowed,
still-reserved gate decision of its own, and none reaches it after an opt-out on its channel."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collections_crm.errors import ApplicationError
from collections_crm.history import system_user
from compliance import services as compliance
from outreach.backends import backend_for, reset_backends
from outreach.choices import MessageSource
from outreach.models import Message
from outreach.services import message_queue
from outreach.services.sending import message_send
from tests.accounts.factories import CreditorFactory
from tests.outreach import recording_backend
from tests.outreach.messaging import LAGOS_NOON, contactable_account

RECORDING = "tests.outreach.recording_backend.RecordingBackend"
CHANNELS = ("sms", "email", "whatsapp", "voice")
OPS = st.one_of(
    st.tuples(st.just("queue"), st.sampled_from(CHANNELS), st.integers(0, 23),
              st.sampled_from(("friendly_reminder", "payment_receipt", "seasonal_care"))),
    st.tuples(st.just("revoke"), st.sampled_from(CHANNELS)),
    st.tuples(st.just("grant"), st.sampled_from(CHANNELS)),
    st.tuples(st.just("hold"), st.sampled_from(("dispute", "cease_communication"))),
    st.tuples(st.just("send"), st.integers(0, 15)),
    st.tuples(st.just("direct"), st.integers(0, 15)),
)


@pytest.mark.django_db
@override_settings(OUTREACH_BACKENDS={ch: RECORDING for ch in CHANNELS})
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_no_send_without_an_allowed_decision(ops):
    reset_backends()
    recording_backend.DELIVERIES.clear()
    actor = system_user()
    with transaction.atomic():
        account = contactable_account(CreditorFactory(), channels=("sms", "email"))
        customer = account.customer
        Message.objects.create(customer=customer, account=account, direction="inbound", channel="whatsapp",
                               source="inbound", status="received", idempotency_key=f"wa-{account.pk}",
                               actor=actor, created_at=LAGOS_NOON - timedelta(hours=1))
        ids: list[int] = []
        for step, op in enumerate(ops):
            kind = op[0]
            if kind == "queue":
                _, channel, hour, purpose = op
                try:
                    msg = message_queue(customer=customer, account=account, channel=channel, purpose=purpose,
                                        actor=actor, source=MessageSource.CADENCE, body="Hi {{ first_name }}"
                                        if channel == "whatsapp" else None,
                                        at=LAGOS_NOON.replace(hour=hour) + timedelta(minutes=step))
                except ApplicationError:
                    continue
                ids.append(msg.pk)
            elif kind == "revoke":
                compliance.consent_revoke(customer=customer, channel=op[1], source="agent", actor=actor)
            elif kind == "grant":
                compliance.consent_grant(customer=customer, channel=op[1], source="agent", actor=actor)
            elif kind == "hold":
                compliance.hold_place(account=account, kind=op[1], actor=actor, reason="property test")
            elif ids and kind == "send":
                message_send(message_id=ids[op[1] % len(ids)])
            elif ids and kind == "direct":
                msg = Message.objects.get(pk=ids[op[1] % len(ids)])
                try:
                    backend_for(msg.channel).send(msg)
                except compliance.ContactBlocked:
                    pass
        for delivery in recording_backend.DELIVERIES:
            assert delivery["decision_allowed"] and delivery["decision_is_the_messages"], delivery
            assert delivery["attempt_reserved"] and not delivery["opted_out_since"], delivery
        delivered = {d["message"] for d in recording_backend.DELIVERIES}
        for msg in Message.objects.filter(pk__in=delivered).select_related("gate_decision"):
            assert msg.gate_decision is not None and msg.gate_decision.allowed and msg.status != "blocked"
        transaction.set_rollback(True)
    reset_backends()
