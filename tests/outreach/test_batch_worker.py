"""End to end on a real Celery worker (PostgreSQL + Redis pass): a batch queued with message_queue_many
goes out through the send_messages task, each message once, with its history and attempt completed."""

import pytest

from collections_crm.history import system_user
from compliance.choices import AttemptStatus
from outreach.choices import MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message
from outreach.services.messages import QueueItem, message_queue_many
from tests.outreach.messaging import contactable_account, zone_where_it_is


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_batch_queue_worker_outbox(celery_worker, creditor, library):
    accounts = []
    for _ in range(3):
        account = contactable_account(creditor, channels=("sms",))
        account.customer.time_zone = zone_where_it_is(12)
        account.customer.save()
        accounts.append(account)
    items = [QueueItem(customer=a.customer, account=a, channel="sms", purpose="payment_receipt",
                       idempotency_key=f"batch-e2e-{a.pk}") for a in accounts]
    messages = message_queue_many(items=items, actor=system_user(), source=MessageSource.SYSTEM)
    assert [m.status for m in messages] == [MessageStatus.QUEUED] * 3
    ids = [m.pk for m in messages]
    celery_worker.wait_until(lambda: set(Message.objects.filter(pk__in=ids).values_list("status", flat=True))
                             == {MessageStatus.SENT})
    assert sorted(DevOutboxEntry.objects.values_list("message_id", flat=True)) == sorted(ids)
    for message in Message.objects.filter(pk__in=ids).select_related("contact_attempt"):
        assert message.contact_attempt.status == AttemptStatus.SENT
        assert [h.history_change_reason for h in message.history.order_by("history_id")] == \
            ["Queued", "Sending", "Sent"]
    # The same batch again (a caller retrying): the same messages, nothing new queued or sent.
    again = message_queue_many(items=items, actor=system_user(), source=MessageSource.SYSTEM)
    assert [m.pk for m in again] == ids and DevOutboxEntry.objects.count() == 3
