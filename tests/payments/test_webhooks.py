"""Webhooks through the real view: signatures (the SDK's scheme), replays, out-of-order delivery."""

from decimal import Decimal

import pytest

from accounts.choices import AccountStatus
from compliance.models import AuditEvent
from payments.choices import CreditStatus, EventStatus, PaymentStatus
from payments.models import Allocation, Payment, ProviderEvent, Receipt, Reversal
from payments.services import reconcile

from .factories import dispute, failed, post_event, refunded, succeeded

pytestmark = pytest.mark.django_db


def _clean():
    checked, problems = reconcile()
    assert problems == []
    return checked


def test_payment_is_applied_once_with_receipt_and_audit(client, account):
    event = succeeded(account, Decimal("1000.00"))
    first = post_event(client, event)
    replay = post_event(client, event)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    account.refresh_from_db()
    assert account.balance == Decimal("41000.00")
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.confirmation_number == payment.confirmation_number
    assert payment.confirmation_number in receipt.text and "41,000.00" in receipt.text
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 1
    assert ProviderEvent.objects.get().status == EventStatus.PROCESSED
    _clean()


def test_same_payment_reported_by_two_event_types_counts_once(client, account):
    post_event(client, succeeded(account, Decimal("500.00"), intent="pi_x"))
    post_event(client, succeeded(account, Decimal("500.00"), intent="pi_x"))  # a new event id, same intent
    assert Payment.objects.count() == 1
    account.refresh_from_db()
    assert account.balance == Decimal("41500.00")


@pytest.mark.parametrize("signature", ["", "t=1,v1=deadbeef", "garbage"])
def test_forged_or_missing_signature_is_400_and_audited(client, account, signature):
    response = post_event(client, succeeded(account, Decimal("10.00")), signature=signature)
    assert response.status_code == 400
    assert Payment.objects.count() == 0 and ProviderEvent.objects.count() == 0
    assert AuditEvent.objects.filter(action="webhook.forged").count() == 1


def test_wrong_secret_is_refused(client, account):
    response = post_event(client, succeeded(account, Decimal("10.00")), secret="whsec_someone_else")
    assert response.status_code == 400


def test_unknown_account_is_stored_failed_with_reason(client, account):
    event = succeeded(account, Decimal("10.00"))
    event["data"]["object"]["metadata"]["account_id"] = "999999"
    assert post_event(client, event).status_code == 200
    stored = ProviderEvent.objects.get()
    assert stored.status == EventStatus.FAILED and "999999" in stored.error
    assert Payment.objects.count() == 0
    assert AuditEvent.objects.filter(action="webhook.rejected").exists()


def test_currency_mismatch_is_refused_and_nothing_applied(client, account):
    post_event(client, succeeded(account, Decimal("10.00"), currency="USD"))
    stored = ProviderEvent.objects.get()
    assert stored.status == EventStatus.FAILED and "USD" in stored.error
    assert Payment.objects.count() == 0 and Allocation.objects.count() == 0


def test_zero_amount_event_is_refused(client, account):
    event = succeeded(account, Decimal("10.00"))
    event["data"]["object"]["amount_received"] = 0
    event["data"]["object"]["amount"] = 0
    post_event(client, event)
    assert ProviderEvent.objects.get().status == EventStatus.FAILED
    assert Payment.objects.count() == 0


def test_success_after_failure_wins_and_failure_after_success_changes_nothing(client, account):
    post_event(client, failed(account, Decimal("200.00"), intent="pi_a"))
    assert Payment.objects.get().status == PaymentStatus.FAILED
    post_event(client, succeeded(account, Decimal("200.00"), intent="pi_a"))
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    post_event(client, failed(account, Decimal("200.00"), intent="pi_a"))
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    account.refresh_from_db()
    assert account.balance == Decimal("41800.00")
    _clean()


def test_refund_before_its_success_waits_then_reverses(client, account):
    post_event(client, refunded(account, Decimal("300.00"), intent="pi_r"))
    assert Reversal.objects.get().applied_at is None
    account.refresh_from_db()
    assert account.balance == Decimal("42000.00")
    post_event(client, succeeded(account, Decimal("1000.00"), intent="pi_r"))
    account.refresh_from_db()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.reversed_amount == Decimal("300.00")
    assert account.balance == Decimal("41300.00")
    _clean()


def test_overpayment_becomes_refund_due_credit_then_refund_takes_credit_first(client, account):
    post_event(client, succeeded(account, Decimal("42500.00"), intent="pi_big"))
    account.refresh_from_db()
    payment = Payment.objects.get()
    assert account.balance == 0 and account.status == AccountStatus.PAID
    assert payment.credit_amount == Decimal("500.00") and payment.credit_status == CreditStatus.REFUND_DUE
    assert AuditEvent.objects.filter(action="payment.overpaid").exists()
    _clean()
    post_event(client, refunded(account, Decimal("500.00"), intent="pi_big"))
    payment.refresh_from_db()
    account.refresh_from_db()
    assert payment.credit_status == CreditStatus.REFUNDED and account.balance == 0
    assert account.status == AccountStatus.PAID
    post_event(client, refunded(account, Decimal("2000.00"), intent="pi_big", refund_id="re_2"))
    account.refresh_from_db()
    assert account.balance == Decimal("2000.00") and account.status == AccountStatus.OPEN
    assert account.case.status == "open"
    _clean()


def test_chargeback_lost_reverses_and_won_restores(client, account):
    post_event(client, succeeded(account, Decimal("1000.00"), intent="pi_d"))
    post_event(client, dispute(account, Decimal("1000.00"), intent="pi_d"))
    assert Payment.objects.get().status == PaymentStatus.DISPUTED
    post_event(client, dispute(account, Decimal("1000.00"), intent="pi_d", closed_status="lost"))
    account.refresh_from_db()
    assert Payment.objects.get().status == PaymentStatus.CHARGED_BACK
    assert account.balance == Decimal("42000.00")
    _clean()


def test_reconcile_command_reports_a_tampered_balance(account, capsys):
    from django.core.management import CommandError, call_command

    call_command("reconcile")
    assert "no differences" in capsys.readouterr().out
    type(account).objects.filter(pk=account.pk).update(balance=Decimal("1.00"))
    with pytest.raises(CommandError):
        call_command("reconcile")
    assert "balance differs" in capsys.readouterr().out


def test_card_updates_and_expiry_heads_up(client, account):
    from payments.gateways.offline import build_event
    from payments.models import SavedPaymentMethod

    method = SavedPaymentMethod.objects.create(customer=account.customer, provider="stripe", provider_customer_id="cus_1",
                                               provider_method_id="pm_1", brand="visa", last4="4242", exp_month=1,
                                               exp_year=2027)
    updated = {"id": "pm_1", "object": "payment_method", "customer": "cus_1",
               "card": {"brand": "visa", "last4": "4242", "exp_month": 1, "exp_year": 2031}}
    post_event(client, build_event("payment_method.automatically_updated", updated))
    post_event(client, build_event("customer.source.expiring", {"id": "pm_1", "object": "card"}))
    method.refresh_from_db()
    assert method.exp_year == 2031 and method.expiring_reported_at is not None


def test_plan_evidence_carries_the_stored_terms(agent, account):
    from datetime import timedelta

    from django.utils import timezone

    from compliance.evidence import evidence_sections
    from payments.services import plan_accept, plan_create

    plan = plan_create(actor=agent, account=account, frequency="monthly", count=3,
                       start=timezone.localdate() + timedelta(days=3))
    plan_accept(actor=agent, plan=plan, channel="phone", ip="192.0.2.1")
    rows = list(next(s for s in evidence_sections() if s.key == "plans").rows(account))
    assert rows[0]["terms_text"] == plan.terms_text and rows[0]["accepted_ip"] == "192.0.2.1"
    assert len(rows[0]["instalments"]) == 3


def test_overpayment_is_returned_through_the_gateway_and_webhook(client, agent, account):
    from django.test import TestCase

    from payments.services import payment_refund_credit

    post_event(client, succeeded(account, Decimal("43000.00"), intent="pi_over"))
    payment = Payment.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_refund_credit(actor=agent, payment=payment)
    payment.refresh_from_db()
    account.refresh_from_db()
    assert payment.credit_status == CreditStatus.REFUNDED and payment.reversed_amount == Decimal("1000.00")
    assert account.balance == 0 and account.status == AccountStatus.PAID
    _clean()
    from collections_crm.errors import ApplicationError

    with pytest.raises(ApplicationError):
        payment_refund_credit(actor=agent, payment=payment)
