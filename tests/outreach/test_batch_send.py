"""Sending a batch (send_messages / message_send_many): the same at-most-once state machine as one
message — a redelivered task sends nothing again, an opt-out between queueing and sending cancels
exactly that message, a provider error retries only its message — with a bounded number of queries,
and the HTTP sink back-end posting a batch concurrently on keep-alive connections."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from collections_crm.history import system_user
from compliance import services as compliance
from compliance.choices import AttemptStatus
from compliance.models import AuditEvent
from outreach.backends import ProviderError, SendResult, backend_for, reset_backends
from outreach.backends.base import ChannelBackend
from outreach.choices import MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message
from outreach.services.messages import QueueItem, message_queue_many
from outreach.services.sending import message_send_many
from outreach.tasks import send_messages
from tests.outreach.messaging import LAGOS_NOON, contactable_account
from tests.outreach.querycount import outreach_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_backends():
    reset_backends()
    FlakyBackend.failed.clear()
    FlakyBackend.delivered.clear()
    yield
    reset_backends()


@pytest.fixture
def accounts(creditor, library):
    return [contactable_account(creditor, channels=("sms",)) for _ in range(5)]


def _queued(accounts, django_capture_on_commit_callbacks) -> list[Message]:
    with django_capture_on_commit_callbacks(execute=False):  # the test runs the send itself
        messages = message_queue_many(
            items=[QueueItem(customer=a.customer, account=a, channel="sms", purpose="friendly_reminder")
                   for a in accounts],
            actor=system_user(), source=MessageSource.CADENCE, at=LAGOS_NOON)
    assert all(m.status == MessageStatus.QUEUED for m in messages)
    return messages


class FlakyBackend(ChannelBackend):
    """Delivers, except that the first try of a message whose body mentions FAIL_ONCE is a provider error."""

    idempotent_provider = True
    failed: set = set()
    delivered: list = []
    fail_for: set = set()

    def deliver(self, message) -> SendResult:
        if message.pk in self.fail_for and message.pk not in self.failed:
            self.failed.add(message.pk)
            raise ProviderError("The provider is having trouble (HTTP 503).", code="503")
        self.delivered.append(message.pk)
        return SendResult(provider_message_id=f"FLAKY{message.pk}")


def test_batch_sent_once_even_when_the_task_is_delivered_again(accounts, django_capture_on_commit_callbacks):
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    assert message_send_many(message_ids=ids) == {"sent": ids}
    assert message_send_many(message_ids=ids) == {"skipped:sent": ids}
    send_messages.delay(ids)
    assert DevOutboxEntry.objects.count() == len(ids)
    for message in Message.objects.filter(pk__in=ids).select_related("contact_attempt"):
        assert message.status == MessageStatus.SENT and message.sending_at and message.sent_at
        assert message.provider_message_id == DevOutboxEntry.objects.get(message=message).provider_message_id
        assert message.contact_attempt.status == AttemptStatus.SENT
        assert [h.history_change_reason for h in message.history.order_by("history_id")] == \
            ["Queued", "Sending", "Sent"]
        assert message.history.order_by("history_id").last().status == MessageStatus.SENT
    assert AuditEvent.objects.filter(action="contact.completed").count() == len(ids)


def test_worker_dying_after_the_provider_took_the_batch_is_reconciled_not_resent(
        accounts, django_capture_on_commit_callbacks, monkeypatch):
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    import outreach.services.sending as sending

    def die(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(sending, "_record_sent_many", die)
    with pytest.raises(SystemExit):
        message_send_many(message_ids=ids)
    monkeypatch.undo()
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {MessageStatus.SENDING}
    assert DevOutboxEntry.objects.count() == len(ids)
    # acks_late: the task comes again; each message is reconciled with the provider, none sent again.
    assert message_send_many(message_ids=ids) == {"reconciled:sent": ids}
    assert DevOutboxEntry.objects.count() == len(ids)
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {MessageStatus.SENT}


def test_an_opt_out_between_queue_and_send_cancels_exactly_that_message(accounts,
                                                                         django_capture_on_commit_callbacks):
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    compliance.consent_revoke(customer=accounts[2].customer, channel="sms", source="agent", actor=system_user())
    outcome = message_send_many(message_ids=ids)
    assert outcome == {"cancelled": [ids[2]], "sent": ids[:2] + ids[3:]}
    cancelled = Message.objects.select_related("contact_attempt").get(pk=ids[2])
    assert cancelled.status == MessageStatus.CANCELLED
    assert cancelled.status_reason == "The customer opted out of this channel after it was queued."
    assert cancelled.contact_attempt.status == AttemptStatus.CANCELLED
    assert not DevOutboxEntry.objects.filter(message_id=ids[2]).exists()
    assert DevOutboxEntry.objects.count() == 4


def test_an_opt_out_between_claim_and_provider_is_refused_by_the_backend(accounts, django_capture_on_commit_callbacks,
                                                                         monkeypatch):
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    import outreach.services.sending as sending

    real_claim = sending._claim_many

    def claim_then_opt_out(message_ids, actor):
        result = real_claim(message_ids, actor)
        compliance.consent_revoke(customer=accounts[0].customer, channel="sms", source="agent", actor=actor)
        return result

    monkeypatch.setattr(sending, "_claim_many", claim_then_opt_out)
    assert message_send_many(message_ids=ids) == {"cancelled": [ids[0]], "sent": ids[1:]}
    assert Message.objects.get(pk=ids[0]).status == MessageStatus.CANCELLED
    assert not DevOutboxEntry.objects.filter(message_id=ids[0]).exists()


@override_settings(OUTREACH_BACKENDS={"sms": "tests.outreach.test_batch_send.FlakyBackend"})
def test_a_provider_error_retries_only_its_message(accounts, django_capture_on_commit_callbacks, monkeypatch):
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    FlakyBackend.fail_for = {ids[1]}
    retried = []
    import outreach.tasks

    monkeypatch.setattr(outreach.tasks.send_message, "apply_async",
                        lambda args, countdown=None, **kw: retried.append((args, countdown)))
    outcome = message_send_many(message_ids=ids)
    assert outcome == {"retry": [ids[1]], "sent": ids[:1] + ids[2:]}
    assert retried == [([ids[1]], 10)]  # the single-message task, with its back-off
    flaky = Message.objects.get(pk=ids[1])
    assert flaky.status == MessageStatus.QUEUED and flaky.retry_count == 1 and "503" in flaky.error
    assert sorted(FlakyBackend.delivered) == sorted(ids[:1] + ids[2:])
    # The retry (the single task) sends it once; the others are not touched again.
    monkeypatch.undo()
    outreach.tasks.send_message.delay(ids[1])
    assert Message.objects.get(pk=ids[1]).status == MessageStatus.SENT
    assert sorted(FlakyBackend.delivered) == sorted(ids)


def test_query_count_is_bounded_per_batch(creditor, library, django_capture_on_commit_callbacks):
    small = _queued([contactable_account(creditor, channels=("sms",)) for _ in range(2)],
                    django_capture_on_commit_callbacks)
    large = _queued([contactable_account(creditor, channels=("sms",)) for _ in range(8)],
                    django_capture_on_commit_callbacks)
    backend_for("sms")  # loaded outside the counts
    with outreach_queries() as few:
        message_send_many(message_ids=[m.pk for m in small])
    with outreach_queries() as many:
        message_send_many(message_ids=[m.pk for m in large])
    # The guard twice (claim, back-end) and one completion per batch; outreach's own queries are per
    # batch except the dev outbox back-end's row per message (get_or_create: a read, a savepoint, an
    # insert, its release).
    calls = {"contact_send_guard_many": 2, "contact_attempt_complete_many": 1}
    assert few["calls"] == many["calls"] == calls
    assert many["own"] - 8 * 4 == few["own"] - 2 * 4 <= 12, many["sql"]


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    keys: list = []
    connections: set = set()
    refuse = None
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.keys.append(self.headers["Idempotency-Key"])
            self.connections.add(self.client_address)
        if payload["reference"] == str(_Sink.refuse):
            data, code = b'{"error": "bad number"}', 400
        else:
            data, code = json.dumps({"id": f"SINK-{payload['reference']}"}).encode(), 200
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_http_sink_backend_posts_a_batch_concurrently(accounts, django_capture_on_commit_callbacks):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    messages = _queued(accounts, django_capture_on_commit_callbacks)
    ids = [m.pk for m in messages]
    _Sink.keys, _Sink.connections, _Sink.refuse = [], set(), ids[3]
    try:
        with override_settings(OUTREACH_BACKENDS={"sms": "outreach.backends.http_sink.HttpSinkBackend"},
                               OUTREACH_HTTP_SINK_URL=f"http://127.0.0.1:{server.server_address[1]}/sms",
                               OUTREACH_HTTP_SINK_THREADS=3):
            reset_backends()
            outcome = message_send_many(message_ids=ids)
            assert outcome == {"failed": [ids[3]], "sent": ids[:3] + ids[4:]}
            assert message_send_many(message_ids=ids) == {"skipped:sent": ids[:3] + ids[4:],
                                                          "skipped:failed": [ids[3]]}
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(_Sink.keys) == sorted(m.idempotency_key for m in messages)  # each posted once
    assert len(_Sink.connections) <= 3  # kept alive: no more connections than threads
    sent = Message.objects.get(pk=ids[0])
    assert sent.status == MessageStatus.SENT and sent.provider_message_id == f"SINK-{ids[0]}"
    failed = Message.objects.get(pk=ids[3])
    assert failed.status == MessageStatus.FAILED and "HTTP 400" in failed.error
