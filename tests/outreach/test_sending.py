"""Sending: the guard in every back-end, at most once, retries then failed, Twilio on recorded HTTP,
delivery callbacks (signed), opt-out after queueing, the dev outbox page."""

from datetime import timedelta

import pytest
import requests
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from collections_crm.history import system_user
from compliance import services as compliance
from compliance.choices import AttemptStatus
from compliance.models import AuditEvent, ContactAttempt
from compliance.services import ContactBlocked
from outreach.backends import backend_for, reset_backends
from outreach.backends.dev import DevOutboxBackend
from outreach.backends.email import EmailBackend
from outreach.backends.voice import CallTaskBackend
from outreach.choices import MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message
from outreach.services import message_queue
from outreach.services.sending import RetryLater, message_reconcile_stuck, message_send
from outreach.tasks import send_message
from tests.outreach import twilio_recorded as tw
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = pytest.mark.django_db

TWILIO = {
    "TWILIO_ACCOUNT_SID": tw.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": tw.AUTH_TOKEN, "TWILIO_SMS_FROM": "+15005550006",
    "OUTREACH_TWILIO_HTTP_CLIENT": "tests.outreach.twilio_recorded.RecordedTwilioHttpClient",
    "PUBLIC_BASE_URL": "https://crm.example.com",
}


@pytest.fixture(autouse=True)
def _fresh_backends():
    reset_backends()
    tw.RECORDER.answers.clear()
    tw.RECORDER.seen.clear()
    yield
    reset_backends()


@pytest.fixture
def ng(creditor, library):
    return contactable_account(creditor, channels=("sms", "email"))


def _queue(account, **kw):
    args = {"customer": account.customer, "account": account, "channel": "sms", "purpose": "friendly_reminder",
            "actor": system_user(), "source": MessageSource.CADENCE, "at": LAGOS_NOON}
    args.update(kw)
    return message_queue(**args)


@pytest.mark.parametrize("backend", [DevOutboxBackend(), EmailBackend(), CallTaskBackend()])
def test_every_backend_refuses_without_an_allowed_decision(ng, backend):
    blocked = _queue(ng, at=LAGOS_NOON.replace(hour=23))
    assert blocked.status == MessageStatus.BLOCKED
    with pytest.raises(ContactBlocked):
        backend.send(blocked)
    assert not DevOutboxEntry.objects.exists()


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"})
def test_twilio_backend_refuses_without_decision_and_never_calls_twilio(ng):
    blocked = _queue(ng, at=LAGOS_NOON.replace(hour=23))
    with pytest.raises(ContactBlocked):
        backend_for("sms").send(blocked)
    assert tw.RECORDER.seen == []


def test_sent_once_even_when_the_task_runs_twice(ng):
    msg = _queue(ng)
    assert message_send(message_id=msg.pk) == "sent"
    assert message_send(message_id=msg.pk) == "skipped:sent"
    send_message.delay(msg.pk)
    assert DevOutboxEntry.objects.filter(message=msg).count() == 1
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENT and msg.sent_at and msg.sending_at
    assert msg.contact_attempt.status == AttemptStatus.SENT


def test_worker_dying_between_sending_and_saving_is_reconciled_not_resent(ng, monkeypatch):
    msg = _queue(ng)
    import outreach.services.sending as sending

    def die(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(sending, "_record_sent", die)  # the worker dies after the provider took it
    with pytest.raises(SystemExit):
        message_send(message_id=msg.pk)
    monkeypatch.undo()
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENDING and DevOutboxEntry.objects.count() == 1
    # acks_late: the broker hands the task to another worker, which asks the provider instead of re-sending.
    assert message_send(message_id=msg.pk) == "reconciled:sent"
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENT and DevOutboxEntry.objects.count() == 1
    assert msg.provider_message_id == DevOutboxEntry.objects.get().provider_message_id


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"})
def test_twilio_worker_death_waits_for_the_callback_or_the_reconciler(ng, client):
    msg = _queue(ng)
    tw.RECORDER.answers.append(tw.created("SM" + "a" * 32, ng.customer.phone))
    import outreach.services.sending as sending

    original = sending._record_sent
    sending._record_sent = lambda **kw: (_ for _ in ()).throw(SystemExit("killed"))
    try:
        with pytest.raises(SystemExit):
            message_send(message_id=msg.pk)
    finally:
        sending._record_sent = original
    # Redelivered: Twilio cannot be asked by our key, so it is not sent again.
    assert message_send(message_id=msg.pk) == "reconcile:unknown"
    assert len(tw.RECORDER.seen) == 1
    # Twilio's status callback carries our id on its URL: it settles the message.
    url = f"https://crm.example.com{reverse('outreach:twilio-status')}?m={msg.pk}"
    params = {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"}
    sig = tw_signature(url, params)
    response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=sig)
    assert response.status_code == 204
    msg.refresh_from_db()
    assert msg.status == MessageStatus.DELIVERED and msg.provider_message_id == "SM" + "a" * 32
    assert ContactAttempt.objects.get().status == AttemptStatus.SENT


def tw_signature(url, params):
    from twilio.request_validator import RequestValidator

    return RequestValidator(tw.AUTH_TOKEN).compute_signature(url, params)


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"})
def test_twilio_send_on_recorded_http(ng):
    msg = _queue(ng)
    tw.RECORDER.answers.append(tw.created("SM" + "b" * 32, ng.customer.phone, body=msg.body))
    assert message_send(message_id=msg.pk) == "sent"
    request = tw.RECORDER.seen[0]
    assert request["url"] == f"https://api.twilio.com/2010-04-01/Accounts/{tw.ACCOUNT_SID}/Messages.json"
    assert request["form"]["To"] == ng.customer.phone and request["form"]["Body"] == msg.body
    assert request["form"]["StatusCallback"].endswith(f"/outreach/webhooks/twilio/status/?m={msg.pk}")
    msg.refresh_from_db()
    assert msg.provider_message_id == "SM" + "b" * 32 and msg.provider_status == "queued"


@override_settings(**TWILIO, OUTREACH_BACKENDS={"whatsapp": "outreach.backends.twilio.TwilioBackend"},
                   TWILIO_WHATSAPP_FROM="+14155238886")
def test_twilio_whatsapp_addresses(creditor, library):
    acc = contactable_account(creditor, channels=("whatsapp",))
    Message.objects.create(customer=acc.customer, account=acc, direction="inbound", channel="whatsapp",
                           source="inbound", status="received", idempotency_key="wa", actor=system_user(),
                           created_at=LAGOS_NOON - timedelta(hours=2))
    msg = _queue(acc, channel="whatsapp")
    tw.RECORDER.answers.append(tw.created("SM" + "c" * 32, "whatsapp:" + acc.customer.phone))
    assert message_send(message_id=msg.pk) == "sent"
    form = tw.RECORDER.seen[0]["form"]
    assert form["To"] == "whatsapp:" + acc.customer.phone and form["From"] == "whatsapp:+14155238886"


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"},
                   OUTREACH_SEND_MAX_RETRIES=2)
def test_provider_errors_are_retried_with_back_off_then_failed(ng):
    msg = _queue(ng)
    tw.RECORDER.answers += [requests.Timeout("read timed out"), tw.error(503, 20500, "Service unavailable"),
                            requests.ConnectionError("reset")]
    waits = []
    for _ in range(2):
        with pytest.raises(RetryLater) as wait:
            message_send(message_id=msg.pk)
        waits.append(wait.value.countdown)
        msg.refresh_from_db()
        assert msg.status == MessageStatus.QUEUED
    assert waits == [10, 20]
    assert message_send(message_id=msg.pk) == "failed"
    msg.refresh_from_db()
    assert msg.status == MessageStatus.FAILED and msg.failed_at
    assert msg.error == "Not sent: Could not reach Twilio (ConnectionError). (tried 3 times)."
    attempt = ContactAttempt.objects.get()
    assert attempt.status == AttemptStatus.FAILED  # never left: it does not count towards caps
    assert AuditEvent.objects.filter(action="message.failed").exists()


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"})
def test_permanent_provider_error_fails_at_once(ng):
    msg = _queue(ng)
    tw.RECORDER.answers.append(tw.error(400, 21211, "The 'To' number is not a valid phone number."))
    assert message_send(message_id=msg.pk) == "failed"
    msg.refresh_from_db()
    assert msg.status == MessageStatus.FAILED and "21211" in msg.error and msg.retry_count == 0


@override_settings(**TWILIO, OUTREACH_BACKENDS={"sms": "outreach.backends.twilio.TwilioBackend"})
def test_the_celery_task_retries_in_eager_mode(ng):
    msg = _queue(ng)
    tw.RECORDER.answers += [tw.error(500, 20500, "Internal"), tw.created("SM" + "d" * 32, ng.customer.phone)]
    send_message.delay(msg.pk)
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENT and msg.retry_count == 1


def test_opt_out_after_queueing_cancels_with_the_reason(ng):
    msg = _queue(ng)
    compliance.consent_revoke(customer=ng.customer, channel="sms", source="agent", actor=system_user(),
                              evidence="customer asked on the phone")
    assert message_send(message_id=msg.pk) == "cancelled"
    msg.refresh_from_db()
    assert msg.status == MessageStatus.CANCELLED and "opted out" in msg.status_reason
    assert not DevOutboxEntry.objects.exists()


def test_opt_out_between_claim_and_provider_is_still_refused(ng, monkeypatch):
    """The back-end's own guard: an opt-out that lands after the worker claimed the message."""
    msg = _queue(ng)
    import outreach.services.sending as sending

    real_claim = sending._claim

    def claim_then_opt_out(message_id, actor):
        result = real_claim(message_id, actor)
        compliance.consent_revoke(customer=ng.customer, channel="sms", source="agent", actor=actor)
        return result

    monkeypatch.setattr(sending, "_claim", claim_then_opt_out)
    assert message_send(message_id=msg.pk) == "cancelled"
    msg.refresh_from_db()
    assert msg.status == MessageStatus.CANCELLED and not DevOutboxEntry.objects.exists()


def test_email_goes_through_django_mail(ng, mailoutbox):
    msg = _queue(ng, channel="email")
    assert message_send(message_id=msg.pk) == "sent"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [ng.customer.email] and mail.subject == msg.subject and mail.body == msg.body
    assert mail.alternatives[0][1] == "text/html"


def test_stuck_sending_with_an_unknowing_provider_is_failed_unconfirmed(ng):
    msg = _queue(ng, channel="email")
    Message.objects.filter(pk=msg.pk).update(status=MessageStatus.SENDING,
                                             sending_at=timezone.now() - timedelta(hours=1))
    assert message_send(message_id=msg.pk) == "reconcile:unknown"
    assert message_reconcile_stuck() == 1
    msg.refresh_from_db()
    assert msg.status == MessageStatus.FAILED and "at most once" in msg.error
    assert ContactAttempt.objects.get().status == AttemptStatus.SENT  # it may have gone: it counts


@override_settings(**TWILIO)
def test_status_callback_signature(ng, client):
    msg = _queue(ng)
    message_send(message_id=msg.pk)
    msg.refresh_from_db()
    url = f"https://crm.example.com{reverse('outreach:twilio-status')}?m={msg.pk}"
    params = {"MessageSid": msg.provider_message_id, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert client.post(url, params).status_code == 403  # missing
    assert client.post(url, params, HTTP_X_TWILIO_SIGNATURE="bm9wZQ==").status_code == 403  # wrong
    assert AuditEvent.objects.filter(action="webhook.forged").count() == 2
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENT
    assert client.post(url, params, HTTP_X_TWILIO_SIGNATURE=tw_signature(url, params)).status_code == 204
    msg.refresh_from_db()
    assert msg.status == MessageStatus.UNDELIVERED and "out of reach" in msg.error
    # Out of order and repeated reports change nothing.
    late = {"MessageSid": msg.provider_message_id, "MessageStatus": "sent"}
    assert client.post(url, late, HTTP_X_TWILIO_SIGNATURE=tw_signature(url, late)).status_code == 204
    msg.refresh_from_db()
    assert msg.status == MessageStatus.UNDELIVERED


def test_dev_outbox_page(ng, client, django_assert_max_num_queries):
    from tests.accounts.factories import UserFactory

    for i in range(3):
        message_send(message_id=_queue(ng, idempotency_key=f"k{i}", at=LAGOS_NOON + timedelta(minutes=i)).pk)
    user = UserFactory(username="dev.staff", is_staff=True)
    url = reverse("dev-outbox")
    assert client.get(url).status_code == 302  # sign in first
    plain = UserFactory(username="not.staff")
    client.force_login(plain)
    assert client.get(url).status_code == 404  # not staff and DEBUG off
    client.force_login(user)
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200
    entry = DevOutboxEntry.objects.first()
    assert entry.body in page.content.decode()
    response = client.post(reverse("dev-outbox-delivery", args=[entry.pk]), {"status": "delivered"})
    assert response.status_code == 302
    entry.message.refresh_from_db()
    assert entry.message.status == MessageStatus.DELIVERED and entry.message.delivered_at
    client.post(reverse("dev-outbox-delivery", args=[entry.pk]), {"status": "exploded"})
    entry.message.refresh_from_db()
    assert entry.message.status == MessageStatus.DELIVERED
