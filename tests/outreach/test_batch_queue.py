"""message_queue_many: the same results as message_queue for each item in order (property test over
random mixes: allowed, blocked by a hold / an opt-out / quiet hours / caps, repeated and existing
idempotency keys, no template, WhatsApp's window), in bulk, with one send task per chunk."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collections_crm.errors import ApplicationError
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.models import ContactAttempt, GateDecision
from outreach.backends import reset_backends
from outreach.choices import MessageSource, MessageStatus, TemplateStatus
from outreach.models import Message, MessageTemplate, PayLink
from outreach.services import message_queue
from outreach.services.messages import QueueItem, message_queue_many
from outreach.services.sending import message_send_many
from tests.accounts.factories import CreditorFactory
from tests.outreach import recording_backend
from tests.outreach.messaging import LAGOS_NOON, contactable_account
from tests.outreach.querycount import outreach_queries

pytestmark = pytest.mark.django_db

RECORDING = "tests.outreach.recording_backend.RecordingBackend"
CHANNELS = ("sms", "email", "whatsapp")
LINK = re.compile(r"/p/[0-9A-Za-z]{16}")


MISSING = "seasonal_care"


def _retire_missing() -> None:
    """No approved SMS/WhatsApp template for MISSING (message_queue refuses it with no_template)."""
    MessageTemplate.objects.filter(purpose=MISSING, channel__in=("sms", "whatsapp")).update(
        status=TemplateStatus.RETIRED)


def _world(creditor):
    """Four customers: plain, on hold, opted out of SMS, and one for whom Lagos noon is the middle of
    the night (quiet hours). The plain one has an open WhatsApp window."""
    actor = system_user()
    plain = contactable_account(creditor, channels=("sms", "email", "whatsapp"))
    held = contactable_account(creditor, channels=("sms", "email"))
    compliance.hold_place(account=held, kind="cease_communication", actor=actor, reason="batch test")
    opted = contactable_account(creditor, channels=("sms", "email"))
    compliance.consent_revoke(customer=opted.customer, channel="sms", source="agent", actor=actor)
    night = contactable_account(creditor, channels=("sms", "email"))
    night.customer.time_zone = "Pacific/Kiritimati"  # Lagos noon is 01:00 there
    night.customer.save()
    Message.objects.create(customer=plain.customer, account=plain, direction="inbound", channel="whatsapp",
                           source="inbound", status="received", idempotency_key=f"wa-{plain.pk}", actor=actor,
                           created_at=LAGOS_NOON - timedelta(hours=1))
    message_queue(customer=plain.customer, account=plain, channel="email", purpose="payment_receipt", actor=actor,
                  source=MessageSource.SYSTEM, idempotency_key="k-existing", at=LAGOS_NOON,
                  extra_context={"payment_amount": "₦1.00"})
    return [plain, held, opted, night]


def _summary(results) -> list:
    first_index: dict[int, int] = {}
    out = []
    for index, result in enumerate(results):
        if isinstance(result, ApplicationError):
            out.append(("error", result.extra.get("code")))
            continue
        first_index.setdefault(result.pk, index)
        links = list(PayLink.objects.filter(message=result).values_list("code", flat=True))
        out.append((
            result.status, result.status_reason, result.next_allowed_at, result.channel, result.template_id,
            result.language, LINK.sub("/p/CODE", result.body), result.subject, result.to_address,
            bool(result.contact_attempt_id), len(links), first_index[result.pk],
            list(result.gate_decision.reasons) if result.gate_decision_id else None,
        ))
    return out


ITEMS = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(CHANNELS),
              st.sampled_from(("friendly_reminder", "payment_receipt", "missing", "free_text")),
              st.sampled_from((None, None, "k-a", "k-b", "k-existing"))),
    min_size=1, max_size=10,
)


@override_settings(OUTREACH_BACKENDS={ch: RECORDING for ch in (*CHANNELS, "voice")})
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=ITEMS)
def test_queue_many_agrees_with_message_queue_one_by_one(spec, library):
    reset_backends()
    recording_backend.DELIVERIES.clear()
    actor = system_user()
    with transaction.atomic():
        creditor = CreditorFactory()
        accounts = _world(creditor)
        _retire_missing()
        items = []
        for who, channel, purpose, key in spec:
            account = accounts[who]
            body = "Hello {{ first_name }}, about {{ account_reference }}." if purpose == "free_text" else None
            items.append(QueueItem(customer=account.customer, account=account, channel=channel,
                                   purpose=MISSING if purpose == "missing" else
                                   "friendly_reminder" if purpose == "free_text" else purpose,
                                   body=body, idempotency_key=key, extra_context={"payment_amount": "₦2.00"}))

        with transaction.atomic():
            batch = message_queue_many(items=items, actor=actor, source=MessageSource.CADENCE, at=LAGOS_NOON)
            batch_summary = _summary(batch)
            counts = (Message.objects.count(), GateDecision.objects.count(), ContactAttempt.objects.count(),
                      PayLink.objects.count())
            queued = [m.pk for m in batch if getattr(m, "status", "") == MessageStatus.QUEUED]
            # Nothing is sent twice, even when the batch task runs twice.
            message_send_many(message_ids=queued)
            message_send_many(message_ids=queued)
            delivered = [d["message"] for d in recording_backend.DELIVERIES]
            assert sorted(delivered) == sorted(set(queued))
            for delivery in recording_backend.DELIVERIES:
                assert delivery["decision_allowed"] and delivery["decision_is_the_messages"], delivery
                assert delivery["attempt_reserved"] and not delivery["opted_out_since"], delivery
            transaction.set_rollback(True)

        with transaction.atomic():
            one_by_one = []
            for item in items:
                try:
                    one_by_one.append(message_queue(
                        customer=item.customer, account=item.account, channel=item.channel, purpose=item.purpose,
                        body=item.body, idempotency_key=item.idempotency_key, extra_context=item.extra_context,
                        actor=actor, source=MessageSource.CADENCE, at=LAGOS_NOON))
                except ApplicationError as error:
                    one_by_one.append(error)
            assert _summary(one_by_one) == batch_summary
            assert (Message.objects.count(), GateDecision.objects.count(), ContactAttempt.objects.count(),
                    PayLink.objects.count()) == counts
            transaction.set_rollback(True)
        transaction.set_rollback(True)
    reset_backends()


@pytest.fixture
def many(creditor, library):
    return [contactable_account(creditor, channels=("sms",)) for _ in range(6)]


def _items(accounts, **kw):
    return [QueueItem(customer=a.customer, account=a, channel="sms", purpose="friendly_reminder", **kw)
            for a in accounts]


def test_queue_many_writes_history_and_enqueues_one_task_per_chunk(many, django_capture_on_commit_callbacks):
    from unittest import mock

    with override_settings(OUTREACH_SEND_BATCH=4), mock.patch("outreach.tasks.send_messages.apply_async") as batch, \
            mock.patch("outreach.tasks.send_message.apply_async") as single, \
            django_capture_on_commit_callbacks(execute=True):
        results = message_queue_many(items=_items(many[:5]), actor=system_user(), source=MessageSource.CADENCE,
                                     at=LAGOS_NOON)
    assert all(m.status == MessageStatus.QUEUED for m in results)
    ids = [m.pk for m in results]
    assert [c.kwargs["args"][0] for c in batch.call_args_list] == [ids[:4]]
    assert [c.kwargs["args"][0] for c in single.call_args_list] == [ids[4]]  # a lone remainder: the single task
    for message in results:
        record = message.history.get()
        assert record.history_user.username == "system" and record.history_change_reason == "Queued"
        link = PayLink.objects.get(message=message)
        assert link.url in message.body and link.history.get().history_change_reason == "Pay link created"


def test_queue_many_query_count_does_not_grow_with_the_batch(many):
    actor = system_user()
    with outreach_queries() as two:
        message_queue_many(items=_items(many[:2]), actor=actor, source=MessageSource.CADENCE, at=LAGOS_NOON)
    with outreach_queries() as four:
        message_queue_many(items=_items(many[2:]), actor=actor, source=MessageSource.CADENCE, at=LAGOS_NOON)
    # One gate call per batch; outreach's own queries (idempotency keys, cases, template, plans, the
    # Message and PayLink rows with their history) do not depend on the batch's size.
    assert two["calls"] == four["calls"] == {"contact_reserve_many": 1}
    assert four["own"] == two["own"] <= 12, four["sql"]


def test_bad_source_refuses_the_batch(many):
    with pytest.raises(ApplicationError):
        message_queue_many(items=_items(many), actor=system_user(), source="inbound")
    assert not Message.objects.exists()
