"""message_queue: template choice, real rendering, the gate, idempotency, WhatsApp's window; call_log."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.choices import Language
from collections_crm.errors import ApplicationError
from collections_crm.history import system_user
from compliance import services as compliance
from compliance.choices import AttemptStatus
from compliance.models import ContactAttempt, GateDecision
from outreach.choices import Direction, MessageSource, MessageStatus
from outreach.models import DevOutboxEntry, Message, PayLink
from outreach.selectors import messages_for_account, pay_link_resolve
from outreach.services import call_log, message_queue
from tests.outreach.factories import make_template
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def ng(creditor, library):
    return contactable_account(creditor, channels=("sms", "email"))


def _queue(account, **kw):
    args = {"customer": account.customer, "account": account, "channel": "sms", "purpose": "friendly_reminder",
            "actor": system_user(), "source": MessageSource.CADENCE, "at": LAGOS_NOON}
    args.update(kw)
    return message_queue(**args)


def test_allowed_message_is_rendered_with_the_real_context_and_queued(ng, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        msg = _queue(ng)
    assert msg.status == MessageStatus.QUEUED and msg.queued_at
    assert msg.direction == Direction.OUTBOUND and msg.case == ng.case
    assert msg.template.purpose == "friendly_reminder" and msg.template_version == msg.template.version
    assert msg.gate_decision.allowed and msg.contact_attempt.status == AttemptStatus.RESERVED
    assert msg.to_address == ng.customer.phone
    assert ng.customer.first_name in msg.body
    assert "₦42,000.00" in msg.body  # the balance in the account's currency
    link = PayLink.objects.get(message=msg)
    assert link.url in msg.body and pay_link_resolve(link.code) == link
    assert "{{" not in msg.body and "Reply STOP" in msg.body
    assert len(callbacks) == 1  # the send task, only after commit
    assert msg.history.first().history_user.username == "system"


def test_the_send_task_runs_after_commit(ng, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        msg = _queue(ng)
    msg.refresh_from_db()
    assert msg.status == MessageStatus.SENT and msg.provider_message_id.startswith("DEV")
    assert DevOutboxEntry.objects.get(message=msg).body == msg.body
    assert msg.contact_attempt.status == AttemptStatus.SENT


def test_blocked_by_the_gate_is_stored_with_the_next_moment(ng, django_capture_on_commit_callbacks):
    night = LAGOS_NOON.replace(hour=23)  # midnight in Lagos
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        msg = _queue(ng, at=night)
    assert msg.status == MessageStatus.BLOCKED and msg.next_allowed_at > night
    assert "outside_window" in msg.status_reason
    assert not msg.gate_decision.allowed and msg.contact_attempt is None
    assert not callbacks and not ContactAttempt.objects.exists() and not PayLink.objects.exists()


def test_no_consent_blocks_whatsapp_with_a_window(ng):
    from outreach.models import Message as M

    M.objects.create(customer=ng.customer, account=ng, direction="inbound", channel="whatsapp", source="inbound",
                     status="received", idempotency_key="in-1", actor=system_user(),
                     created_at=LAGOS_NOON - timedelta(hours=1))
    msg = _queue(ng, channel="whatsapp")
    assert msg.status == MessageStatus.BLOCKED and msg.status_reason == "no_consent"


def test_same_idempotency_key_returns_the_same_message(ng):
    first = _queue(ng, idempotency_key="cadence:1:step:1")
    second = _queue(ng, idempotency_key="cadence:1:step:1")
    assert first.pk == second.pk
    assert Message.objects.count() == 1 and ContactAttempt.objects.count() == 1
    assert GateDecision.objects.count() == 1


def test_language_fallback_and_preferred_channel(creditor, library):
    acc = contactable_account(creditor, channels=("email",), language=Language.PIDGIN, preferred_channel="email")
    msg = _queue(acc, channel="preferred")
    assert msg.channel == "email" and msg.language == "pcm" and msg.template.language == "pcm"
    assert msg.subject and msg.to_address == acc.customer.email
    assert "Lagos Power" in msg.from_address


def test_creditor_template_beats_global(ng, supervisor):
    own = make_template(actor=supervisor, approve=True, creditor=ng.creditor,
                        body="Hello {{ first_name }}, {{ amount_due }} is due. {{ pay_link }} {{ opt_out }}")
    msg = _queue(ng)
    assert msg.template == own and msg.body.startswith(f"Hello {ng.customer.first_name}")


def test_transactional_purposes_ask_the_gate_as_transactional(ng):
    msg = _queue(ng, purpose="payment_receipt", extra_context={"payment_amount": "₦2,000.00", "nonsense": "x"},
                 source=MessageSource.SYSTEM)
    assert msg.gate_decision.purpose == "transactional"
    assert "₦2,000.00" in msg.body


def test_free_text_gets_disclosures_and_the_care_line(ng, agent):
    msg = _queue(ng, body="Hi {{ first_name }}, thanks for your call today. Pay here: {{ pay_link }}",
                 actor=agent, source=MessageSource.AGENT)
    assert msg.template is None and msg.body.endswith("Reply STOP to stop texts to this number.")
    assert PayLink.objects.filter(message=msg).exists()
    with pytest.raises(ApplicationError) as err:
        _queue(ng, body="Pay now or we will have you arrested.", actor=agent, source=MessageSource.AGENT)
    assert err.value.extra["code"] == "care_check_failed"
    with pytest.raises(ApplicationError) as err:
        _queue(ng, body="Hi {{ balance_secret }}", actor=agent, source=MessageSource.AGENT)
    assert err.value.extra["code"] == "template_syntax"
    assert Message.objects.count() == 1 and ContactAttempt.objects.count() == 1  # refusals reserve nothing


def test_bad_input_is_refused_plainly(ng, creditor):
    other = contactable_account(creditor)
    with pytest.raises(ApplicationError):
        _queue(ng, customer=other.customer)
    with pytest.raises(ApplicationError):
        _queue(ng, channel="pigeon")
    with pytest.raises(ApplicationError):
        _queue(ng, purpose="threaten")
    with pytest.raises(ApplicationError):
        _queue(ng, source="inbound")
    assert Message.objects.count() == 0


def test_no_approved_template_is_a_plain_refusal(ng, supervisor):
    from outreach.models import MessageTemplate
    from outreach.services import message_template_retire

    for template in MessageTemplate.objects.filter(purpose="plan_offer", channel="sms", status="approved"):
        message_template_retire(actor=supervisor, template=template)
    with pytest.raises(ApplicationError) as err:
        _queue(ng, purpose="plan_offer")
    assert err.value.extra["code"] == "no_template" and not ContactAttempt.objects.exists()


def test_unapproved_or_foreign_template_refused(ng, supervisor):
    draft = make_template(actor=supervisor, approve=False, creditor=ng.creditor)
    with pytest.raises(ApplicationError) as err:
        _queue(ng, template=draft)
    assert err.value.extra["code"] == "template_unusable"


def test_whatsapp_window(creditor, library, supervisor):
    acc = contactable_account(creditor, channels=("whatsapp",))
    with pytest.raises(ApplicationError) as err:
        _queue(acc, channel="whatsapp")
    assert err.value.extra["code"] == "whatsapp_window"
    Message.objects.create(customer=acc.customer, account=acc, direction="inbound", channel="whatsapp",
                           source="inbound", status="received", idempotency_key="wa-in", actor=system_user(),
                           created_at=LAGOS_NOON - timedelta(hours=23))
    assert _queue(acc, channel="whatsapp").status == MessageStatus.QUEUED
    # 25 hours on, free text is refused again, but a template WhatsApp approved may go.
    later = LAGOS_NOON + timedelta(hours=2)
    with pytest.raises(ApplicationError):
        _queue(acc, channel="whatsapp", at=later, body="Hi {{ first_name }}", actor=supervisor, source="agent")
    approved = make_template(actor=supervisor, approve=False, creditor=creditor, channel="whatsapp")
    approved.whatsapp_approved = True
    approved.save()
    from outreach.services import message_template_approve

    approved = message_template_approve(actor=supervisor, template=approved)
    assert _queue(acc, channel="whatsapp", at=later, template=approved).status == MessageStatus.QUEUED


def test_call_log_completes_the_call_task_as_a_conversation(ng, agent, django_capture_on_commit_callbacks):
    compliance.consent_grant(customer=ng.customer, channel="voice", source="import", actor=agent)
    with django_capture_on_commit_callbacks(execute=True):
        task = _queue(ng, channel="voice", actor=agent, source=MessageSource.AGENT)
    task.refresh_from_db()
    assert task.status == MessageStatus.SENT and task.awaiting_call
    msg = call_log(case=ng.case, actor=agent, outcome="promise_made", duration_seconds=184,
                   notes="Will pay 20k on Friday", at=LAGOS_NOON + timedelta(minutes=5))
    assert msg.pk == task.pk and msg.status == MessageStatus.DELIVERED and msg.duration_seconds == 184
    attempt = ContactAttempt.objects.get(pk=msg.contact_attempt_id)
    assert attempt.status == AttemptStatus.SENT and attempt.is_conversation


def test_call_log_without_a_task_asks_the_gate(ng, agent):
    compliance.consent_grant(customer=ng.customer, channel="voice", source="import", actor=agent)
    msg = call_log(case=ng.case, actor=agent, outcome="not_connected", duration_seconds=0, notes="busy",
                   at=LAGOS_NOON)
    assert msg.status == MessageStatus.FAILED and msg.gate_decision.allowed
    assert ContactAttempt.objects.get().status == AttemptStatus.FAILED  # a busy line does not count
    with pytest.raises(ApplicationError):
        call_log(case=ng.case, actor=agent, outcome="no_answer", duration_seconds=0, notes="",
                 at=LAGOS_NOON.replace(hour=23))
    with pytest.raises(ApplicationError):
        call_log(case=ng.case, actor=agent, outcome="shouted", duration_seconds=10, notes="")
    with pytest.raises(ApplicationError):
        call_log(case=ng.case, actor=agent, outcome="no_answer", duration_seconds=-3, notes="")


def test_inbound_call_needs_no_gate(ng, agent):
    msg = call_log(case=ng.case, actor=agent, outcome="spoke_to_customer", duration_seconds=60, notes="asked about fees",
                   direction="inbound")
    assert msg.status == MessageStatus.RECEIVED and not ContactAttempt.objects.exists()


def test_messages_for_account(ng, agent, django_assert_max_num_queries):
    for i in range(3):
        _queue(ng, idempotency_key=f"k{i}", at=LAGOS_NOON + timedelta(minutes=i))
    with django_assert_max_num_queries(1):
        rows = list(messages_for_account(ng))
        assert [r.template.purpose for r in rows] == ["friendly_reminder"] * 3
        assert all(r.gate_decision.allowed for r in rows)
    assert Decimal(ng.balance) > 0
