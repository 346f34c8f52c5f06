"""Inbound: webhooks (signed), matching, de-duplication, and acting on each kind of reply."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from accounts.choices import Queue
from collections_crm.history import system_user
from compliance.choices import ConsentStatus, HoldKind
from compliance.models import AuditEvent, ConsentRecord, Dispute, Hold
from outreach.choices import Classification, Direction, MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message
from outreach.services import inbound_receive, message_queue
from outreach.services.sending import message_send
from tests.outreach import twilio_recorded as tw
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = pytest.mark.django_db
TWILIO = {"TWILIO_ACCOUNT_SID": tw.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": tw.AUTH_TOKEN,
          "PUBLIC_BASE_URL": "https://crm.example.com"}
SECRET = "inbound-secret-for-tests"


@pytest.fixture
def ng(creditor, library):
    return contactable_account(creditor, channels=("sms", "email", "whatsapp"))


def _reply(account, text, channel="sms", **kw):
    address = account.customer.email if channel == "email" else account.customer.phone
    return inbound_receive(channel=channel, from_address=address, body=text, **kw)


def _twilio_post(client, params):
    url = "https://crm.example.com" + reverse("outreach:twilio-inbound")
    signature = RequestValidator(tw.AUTH_TOKEN).compute_signature(url, params)
    return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)


@override_settings(**TWILIO)
def test_twilio_inbound_signature_checked(ng, client):
    params = {"From": ng.customer.phone, "To": "+15005550006", "Body": "Why is it so much?", "MessageSid": "SM1"}
    url = reverse("outreach:twilio-inbound")
    assert client.post(url, params).status_code == 403
    assert client.post(url, params, HTTP_X_TWILIO_SIGNATURE="Zm9yZ2Vk").status_code == 403
    assert AuditEvent.objects.filter(action="webhook.forged").count() == 2 and not Message.objects.exists()
    response = _twilio_post(client, params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    msg = Message.objects.get()
    assert msg.customer == ng.customer and msg.account == ng and msg.direction == Direction.INBOUND
    assert msg.classification == Classification.QUESTION and msg.status == MessageStatus.RECEIVED
    assert _twilio_post(client, params).status_code == 200  # Twilio retries: stored once
    assert Message.objects.count() == 1


@override_settings(**TWILIO)
def test_unknown_sender_is_kept_and_nothing_else_happens(ng, client):
    response = _twilio_post(client, {"From": "+447700900123", "Body": "STOP", "MessageSid": "SM2"})
    assert response.status_code == 200
    msg = Message.objects.get()
    assert msg.customer is None and msg.classification == "" and msg.body == "STOP"
    assert not ConsentRecord.objects.filter(status=ConsentStatus.REVOKED).exists()
    assert _twilio_post(client, {"From": "not-a-number", "Body": "hi", "MessageSid": "SM3"}).status_code == 200
    assert Message.objects.filter(customer__isnull=True).count() == 2


@override_settings(**TWILIO)
def test_whatsapp_sender(ng, client):
    _twilio_post(client, {"From": f"whatsapp:{ng.customer.phone}", "Body": "Call me please", "MessageSid": "SM4"})
    msg = Message.objects.get()
    assert msg.channel == "whatsapp" and msg.customer == ng.customer and msg.classification == "callback"


def test_stop_revokes_at_once_and_confirms_through_the_gate(ng, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        msg = _reply(ng, "STOP")
    assert msg.classification == Classification.OPT_OUT
    latest = ConsentRecord.objects.filter(customer=ng.customer, channel="sms").order_by("-at", "-id").first()
    assert latest.status == ConsentStatus.REVOKED and latest.source == "inbound_keyword"
    confirmation = Message.objects.get(purpose="opt_out_confirmation")
    assert confirmation.gate_decision.purpose == "opt_out_confirmation"
    assert msg.extracted["action"]["done"] == "opted_out"
    assert confirmation.status in (MessageStatus.SENT, MessageStatus.BLOCKED)
    later = message_queue(customer=ng.customer, account=ng, channel="sms", purpose="friendly_reminder",
                          actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON)
    assert later.status == MessageStatus.BLOCKED and "opted_out" in later.status_reason
    # Email is another channel: still open.
    assert message_queue(customer=ng.customer, account=ng, channel="email", purpose="friendly_reminder",
                         actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON).status == "queued"


def test_dispute_opens_a_dispute_with_a_hold_and_routes(ng):
    msg = _reply(ng, "I already paid this, it is not my debt")
    dispute = Dispute.objects.get()
    assert dispute.source == "inbound" and dispute.reason == "already_paid" and dispute.hold.kind == HoldKind.DISPUTE
    ng.case.refresh_from_db()
    assert ng.case.queue == Queue.DISPUTES and msg.extracted["action"]["dispute_id"] == dispute.pk


def test_hardship_pauses_with_an_end_date_and_routes(ng):
    _reply(ng, "Dem sack me, I no get money now", )
    hold = Hold.objects.get(kind=HoldKind.HARDSHIP_PAUSE)
    assert hold.ends_at - hold.starts_at == timedelta(days=30)
    ng.case.refresh_from_db()
    assert ng.case.review_requested and ng.case.queue != Queue.AUTOMATED


def test_promise_is_recorded_with_date_and_amount(ng):
    from payments.models import PromiseToPay

    msg = _reply(ng, "I go pay 20k for 30th")
    promise = PromiseToPay.objects.get()
    assert promise.amount == 20000 and promise.due_date.day == 30 and promise.channel == "sms"
    assert msg.extracted["amount"] == "20000" and msg.extracted["action"]["done"] == "promise_recorded"


def test_a_promise_that_cannot_be_taken_goes_to_a_person(ng):
    from payments.models import PromiseToPay

    msg = _reply(ng, "I will pay 9,000,000 tomorrow")  # more than the balance
    assert not PromiseToPay.objects.exists() and msg.extracted["action"]["done"] == "refused"
    ng.case.refresh_from_db()
    assert ng.case.review_requested


def test_callback_complaint_question_and_unknown(ng, creditor):
    from accounts.models import CallbackRequest

    _reply(ng, "Abeg make una call me")
    assert CallbackRequest.objects.filter(case=ng.case, source="inbound").exists()
    other = contactable_account(creditor)
    _reply(other, "Stop harassing me")
    other.case.refresh_from_db()
    assert other.case.complaint_open and other.case.queue == Queue.COMPLAINTS
    third = contactable_account(creditor)
    msg = _reply(third, "Ẹ jọ̀ọ́, mo ti gbọ")  # Yoruba: no keyword set
    assert msg.classification == Classification.UNKNOWN and msg.body == "Ẹ jọ̀ọ́, mo ti gbọ"
    third.case.refresh_from_db()
    assert third.case.review_requested


@override_settings(OUTREACH_INBOUND_EMAIL_SECRET=SECRET)
def test_inbound_email_endpoint(ng, client):
    url = reverse("outreach:email-inbound")
    body = {"from": f"Ada <{ng.customer.email.upper()}>", "to": "reminders@example.com", "subject": "STOP",
            "text": "please", "message_id": "<abc@mail>"}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 403
    assert client.post(url, json.dumps(body), content_type="application/json",
                       HTTP_X_INBOUND_SECRET="wrong").status_code == 403
    response = client.post(url, json.dumps(body), content_type="application/json", HTTP_X_INBOUND_SECRET=SECRET)
    assert response.status_code == 200 and response.json()["matched"]
    latest = ConsentRecord.objects.filter(customer=ng.customer, channel="email").order_by("-at", "-id").first()
    assert latest.status == ConsentStatus.REVOKED
    assert client.post(url, "{not json", content_type="application/json",
                       HTTP_X_INBOUND_SECRET=SECRET).status_code == 400
    # The same email posted again is stored once.
    client.post(url, json.dumps(body), content_type="application/json", HTTP_X_INBOUND_SECRET=SECRET)
    assert Message.objects.filter(direction="inbound", channel="email").count() == 1


def test_inbound_email_refused_when_no_secret_is_configured(client):
    response = client.post(reverse("outreach:email-inbound"), {"from": "a@example.com", "text": "hi"},
                           HTTP_X_INBOUND_SECRET="")
    assert response.status_code == 403


def test_matching_prefers_the_account_we_last_wrote_to(ng, creditor):
    from tests.accounts.factories import AccountFactory, CaseFactory

    newer = AccountFactory(creditor=creditor, customer=ng.customer)
    CaseFactory(account=newer)
    message_queue(customer=ng.customer, account=ng, channel="sms", purpose="friendly_reminder",
                  actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON)
    assert _reply(ng, "thanks").account == ng
    assert _reply(ng, "thanks", channel="email").account == newer  # nothing sent by email: newest account


@override_settings(DEBUG=True)
def test_dev_outbox_reply_simulates_the_customer(ng, client, agent):
    msg = message_queue(customer=ng.customer, account=ng, channel="sms", purpose="friendly_reminder",
                        actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON)
    message_send(message_id=msg.pk)
    entry = DevOutboxEntry.objects.get()
    client.force_login(agent)
    assert client.post(reverse("dev-outbox-reply", args=[entry.pk]), {"text": ""}).status_code == 302
    assert not Message.objects.filter(direction="inbound").exists()
    client.post(reverse("dev-outbox-reply", args=[entry.pk]), {"text": "I'll pay 50 on Friday"})
    reply = Message.objects.get(direction="inbound")
    assert reply.classification == "promise" and reply.customer == ng.customer
    assert timezone.now() - reply.received_at < timedelta(minutes=1)
