"""The cadence tick: set-wise exits and skips with history, sends through message_queue (the gate), at
most once per step even when the tick runs twice, blocked steps rescheduled to the gate's next moment,
an opt-out ends the enrolment."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.choices import AccountStatus, Queue
from accounts.models import Case
from collections_crm.history import system_user
from compliance import services as compliance
from outreach.cadences.choices import EnrolmentStatus, ExitReason
from outreach.cadences.models import CadenceDelivery, CadenceDispatch, CadenceEnrolment
from outreach.cadences.services import (
    cadence_create,
    cadence_enrol_cases,
    cadence_step_send,
    cadence_tick_select,
)
from outreach.cadences.tasks import cadence_tick
from outreach.models import DevOutboxEntry, Message
from payments.models import Payment
from tests.accounts.factories import CreditorFactory
from tests.outreach.messaging import LAGOS_NOON, contactable_account

pytestmark = pytest.mark.django_db

STEPS = [
    {"anchor": "placement", "offset_days": 0, "channel": "preferred", "purpose": "friendly_reminder"},
    {"anchor": "last_contact", "offset_days": 5, "channel": "sms", "purpose": "friendly_reminder",
     "require_no_payment": True},
]


@pytest.fixture
def cadence(library):
    return cadence_create(actor=system_user(), name="Test", slug="test", priority=100, steps=STEPS)


def _enrol(accounts, at):
    cadence_enrol_cases(cases=Case.objects.filter(account__in=accounts), actor=system_user(),
                        at=at - timedelta(days=1))
    for e in CadenceEnrolment.objects.filter(account__in=accounts):
        assert e.next_due_at <= at
    return {e.account_id: e for e in CadenceEnrolment.objects.filter(account__in=accounts)}


def test_tick_sends_each_due_step_once_even_when_run_twice(cadence, django_capture_on_commit_callbacks):
    creditor = CreditorFactory()
    account = contactable_account(creditor)
    enrolment = _enrol([account], LAGOS_NOON)[account.pk]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            cadence_tick(at=LAGOS_NOON.isoformat())
    message = Message.objects.get(account=account)
    assert message.source == "cadence" and message.channel == "sms" and message.purpose == "friendly_reminder"
    assert DevOutboxEntry.objects.filter(message=message).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.step.order == 2 and enrolment.steps_sent == 1
    assert enrolment.next_due_at == LAGOS_NOON + timedelta(days=5)
    assert enrolment.last_contact_at == LAGOS_NOON and not CadenceDispatch.objects.filter(enrolment=enrolment).exists()
    assert CadenceDelivery.objects.get(enrolment=enrolment).outcome == "sent"
    assert enrolment.history.filter(history_change_reason="Step sent").exists()
    # Calling the step again for the same due moment sends nothing more.
    assert cadence_step_send(enrolment_id=enrolment.pk, actor=system_user(), at=LAGOS_NOON) == "waiting"
    assert Message.objects.filter(account=account).count() == 1


def test_tick_exits_set_wise_with_reason_and_history(cadence):
    creditor = CreditorFactory()
    paid, routed, opted_out, fine = (contactable_account(creditor) for _ in range(4))
    enrolments = _enrol([paid, routed, opted_out, fine], LAGOS_NOON)
    paid.status, paid.balance = AccountStatus.PAID, Decimal("0")
    paid.save()
    Case.objects.filter(account=routed).update(queue=Queue.DISPUTES)
    compliance.consent_revoke(customer=opted_out.customer, channel="sms", source="inbound_keyword",
                              actor=system_user(), evidence="STOP")
    result = cadence_tick_select(actor=system_user(), at=LAGOS_NOON)
    assert result.exited == {"paid_in_full": 1, "routed_to_human": 1, "opt_out": 1}
    assert result.dispatched == [enrolments[fine.pk].pk]
    for account, reason in ((paid, ExitReason.PAID_IN_FULL), (routed, ExitReason.ROUTED_TO_HUMAN),
                            (opted_out, ExitReason.OPT_OUT)):
        e = CadenceEnrolment.objects.get(pk=enrolments[account.pk].pk)
        assert (e.status, e.exit_reason, e.step, e.next_due_at) == (EnrolmentStatus.EXITED, reason, None, None)
        latest = e.history.first()
        assert latest.history_type == "~" and latest.exit_reason == reason
        assert latest.history_user.username == "system"
    # Leased: an overlapping tick does not hand the same enrolment out again.
    assert cadence_tick_select(actor=system_user(), at=LAGOS_NOON).dispatched == []


def test_condition_failing_step_is_skipped_set_wise(cadence, django_capture_on_commit_callbacks):
    creditor = CreditorFactory()
    account = contactable_account(creditor)
    enrolment = _enrol([account], LAGOS_NOON)[account.pk]
    with django_capture_on_commit_callbacks(execute=True):
        cadence_tick(at=LAGOS_NOON.isoformat())
    later = LAGOS_NOON + timedelta(days=7)
    Payment.objects.create(account=account, provider="offline", provider_payment_id="p-1", amount=Decimal("10"),
                           currency=account.currency, status="succeeded", received_at=LAGOS_NOON + timedelta(days=1))
    result = cadence_tick_select(actor=system_user(), at=later)
    assert result.skipped == {"completed": 1} and result.dispatched == []
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.steps_skipped == 1
    assert enrolment.history.first().history_change_reason == "Step skipped; cadence complete"
    assert Message.objects.filter(account=account).count() == 1


def test_blocked_step_waits_for_the_gates_next_allowed_moment(cadence):
    creditor = CreditorFactory()
    account = contactable_account(creditor)
    enrolment = _enrol([account], LAGOS_NOON)[account.pk]
    night = LAGOS_NOON.replace(hour=1)  # 02:00 in Lagos: outside the lawful hours
    # The set-wise pre-filter leaves it due (nothing leased, nothing sent) ...
    assert cadence_tick_select(actor=system_user(), at=night).dispatched == []
    # ... and asked directly, the gate blocks it and the step moves to the gate's next allowed moment.
    assert cadence_step_send(enrolment_id=enrolment.pk, actor=system_user(), at=night) == "rescheduled"
    message = Message.objects.get(account=account)
    assert message.status == "blocked" and message.next_allowed_at > night
    enrolment.refresh_from_db()
    assert enrolment.next_due_at == message.next_allowed_at and enrolment.step.order == 1
    assert not DevOutboxEntry.objects.exists()


def test_tick_cap_takes_the_oldest_due_first_and_leaves_the_rest_due(cadence, settings):
    settings.CADENCE_TICK_LIMIT = 1
    creditor = CreditorFactory()
    first, second = contactable_account(creditor), contactable_account(creditor)
    enrolments = _enrol([first, second], LAGOS_NOON)
    older = enrolments[first.pk].next_due_at - timedelta(hours=5)
    CadenceEnrolment.objects.filter(pk=enrolments[second.pk].pk).update(next_due_at=older)
    assert cadence_tick_select(actor=system_user(), at=LAGOS_NOON).dispatched == [enrolments[second.pk].pk]
    assert cadence_tick_select(actor=system_user(), at=LAGOS_NOON).dispatched == [enrolments[first.pk].pk]
