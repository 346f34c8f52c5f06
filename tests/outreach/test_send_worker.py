"""End to end on a real Celery worker (PostgreSQL + Redis pass): queue → worker → dev outbox →
the customer replies STOP → the next message on that channel is blocked, and nothing more is sent."""

import pytest

from collections_crm.history import system_user
from outreach.choices import MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message
from outreach.services import inbound_receive, message_queue
from tests.outreach.messaging import contactable_account, zone_where_it_is


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_queue_worker_outbox_stop_blocked(celery_worker, creditor, library):
    account = contactable_account(creditor, channels=("sms", "email"))
    account.customer.time_zone = zone_where_it_is(12)
    account.customer.save()
    actor = system_user()

    def send(purpose, key, channel="sms"):
        return message_queue(customer=account.customer, account=account, channel=channel, purpose=purpose,
                             actor=actor, source=MessageSource.SYSTEM, idempotency_key=key)

    first = send("payment_receipt", "e2e-1")  # transactional: no quiet day can get in the way
    assert first.status == MessageStatus.QUEUED
    entry = celery_worker.wait_until(lambda: DevOutboxEntry.objects.filter(message=first).first())
    assert entry.body == first.body and entry.to_address == account.customer.phone
    celery_worker.wait_until(lambda: Message.objects.get(pk=first.pk).status == MessageStatus.SENT)

    reply = inbound_receive(channel="sms", from_address=account.customer.phone, body="STOP",
                            provider_message_id="SM-e2e-stop")
    assert reply.classification == "opt_out"

    after = send("payment_receipt", "e2e-2")
    assert after.status == MessageStatus.BLOCKED and "opted_out" in after.status_reason
    # The opt-out confirmation (its own purpose, allowed once) is the only thing that still goes on SMS.
    confirmation = Message.objects.get(purpose="opt_out_confirmation")
    if confirmation.status == MessageStatus.QUEUED:
        celery_worker.wait_until(lambda: Message.objects.get(pk=confirmation.pk).status != MessageStatus.QUEUED)
    sms_sent = set(DevOutboxEntry.objects.filter(channel="sms").values_list("message_id", flat=True))
    assert sms_sent <= {first.pk, confirmation.pk}
    # Email was not opted out.
    assert send("payment_receipt", "e2e-3", channel="email").status == MessageStatus.QUEUED
