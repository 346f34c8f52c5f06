"""End to end with a real Celery worker (tests/celery_support.py; Redis in the PostgreSQL pass):
placement import → beat tick → message in the dev outbox → inbound STOP → a later tick sends nothing
more on that channel, and the enrolment records why it stopped."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Customer
from accounts.placement.services import placement_import
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.gate import check
from compliance.selectors import gate_context_for
from outreach.cadences.choices import EnrolmentStatus, ExitReason
from outreach.cadences.models import CadenceEnrolment
from outreach.cadences.services import cadence_defaults_load
from outreach.cadences.tasks import cadence_tick
from outreach.library import library_load
from outreach.models import DevOutboxEntry, Message
from tests.accounts.factories import CreditorFactory
from tests.accounts.placement_helpers import csv_bytes, row

ZONES = ["America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Auckland", "Asia/Tokyo",
         "Asia/Kolkata", "Asia/Dubai", "Europe/London", "America/Sao_Paulo", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_placement_tick_outbox_stop_then_silence(transactional_db, celery_worker):
    actor = system_user()
    library_load(actor=actor)  # transactional tests start from a flushed database
    cadence_defaults_load(actor=actor)
    creditor = CreditorFactory(country="NG")
    placement_import(creditor=creditor, actor=actor, file_name="p.csv", stream=io.BytesIO(csv_bytes([
        row(customer_ref="C77", account_reference="A77", phone="0803 555 0177", preferred_channel="sms",
            due_date=str(timezone.localdate() - timedelta(days=40))),
    ])))
    enrolment = CadenceEnrolment.objects.select_related("account__customer", "cadence").get()
    customer = enrolment.account.customer
    assert enrolment.cadence.slug == "friendly-reminders"
    compliance.consent_grant(customer=customer, channel="sms", source="import", actor=actor, evidence="placement")

    # A real worker sends at the real time (a future instant would be an ETA for later), so put the customer
    # in a zone where the gate allows a contact now (US rules: no quiet weekday).
    now = timezone.now()
    for zone in ZONES:
        Customer.objects.filter(pk=customer.pk).update(country="US", region="", time_zone=zone)
        customer.refresh_from_db()
        if check(channel="sms", at=now, context=gate_context_for(customer=customer, account=enrolment.account,
                                                               at=now)).allowed:
            break
    else:
        pytest.fail("no zone where a contact is allowed now")
    cadence_tick.delay()
    message = celery_worker.wait_until(lambda: Message.objects.filter(
        customer=customer, status__in=("sent", "delivered", "failed", "cancelled", "blocked")).first())
    assert (message.source, message.status, message.status_reason) == ("cadence", "sent", "")
    entry = DevOutboxEntry.objects.get(message=message)
    assert entry.channel == "sms" and entry.to_address == customer.phone and customer.first_name in entry.body
    celery_worker.wait_until(lambda: CadenceEnrolment.objects.get(pk=enrolment.pk).steps_sent == 1)

    # The customer replies STOP (what the inbound handler does with an opt-out keyword).
    assert compliance.opt_out_by_keyword(customer=customer, channel="sms", text="STOP", actor=actor)

    later_tick = timezone.now() + timedelta(days=6)  # step 2 (five days after the first) is due
    cadence_tick.delay(later_tick.isoformat())
    done = celery_worker.wait_until(
        lambda: CadenceEnrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.EXITED).first())
    assert done.exit_reason == ExitReason.OPT_OUT
    assert "outreach.cadences.tick" in celery_worker.log
    assert DevOutboxEntry.objects.filter(message__customer=customer).count() == 1
    assert Message.objects.filter(customer=customer, direction="outbound", channel="sms").count() == 1
