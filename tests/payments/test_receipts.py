"""Receipts: every successful payment's receipt goes to the customer through the contact gate."""

from decimal import Decimal

import pytest

from collections_crm.history import system_user
from compliance import services as compliance
from outreach.choices import MessageStatus
from outreach.models import DevOutboxEntry, Message
from payments.models import Payment, Receipt
from payments.services.receipts import receipt_send
from payments.tasks import send_receipt
from tests.outreach.conftest import library  # noqa: F401  (the default templates)
from tests.outreach.messaging import LAGOS_NOON, contactable_account

from .factories import post_event, succeeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def ng(creditor, library):  # noqa: F811
    return contactable_account(creditor, channels=("sms", "email"))


def test_a_successful_payment_queues_its_receipt_through_the_gate(client, ng):
    assert post_event(client, succeeded(ng, Decimal("2100.00"))).status_code == 200
    payment = Payment.objects.get(account=ng)
    receipt = Receipt.objects.get(payment=payment)
    message = receipt.message
    # Whatever the hour of the test run, the receipt was put to the gate, and its decision is stored.
    assert message is not None and message.purpose == "payment_receipt" and message.gate_decision_id
    assert message.account == ng and message.channel == "sms"
    assert receipt.send_attempts >= 1


def test_receipt_carries_the_amount_the_date_and_what_is_left(ng, django_capture_on_commit_callbacks, client):
    post_event(client, succeeded(ng, Decimal("2100.00")))
    receipt = Receipt.objects.get(payment__account=ng)
    receipt.message, receipt.send_attempts, receipt.sent_at = None, 0, None
    receipt.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = receipt_send(receipt=receipt, actor=system_user(), at=LAGOS_NOON)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert "₦2,100.00" in message.body and "₦39,900.00" in message.body  # paid, and left of 42,000
    assert DevOutboxEntry.objects.get(message=message).to_address == ng.customer.phone
    receipt.refresh_from_db()
    assert receipt.sent_at and receipt.send_note == ""
    # Asking again (a retried task, a double delivery) sends nothing more.
    assert receipt_send(receipt=receipt, actor=system_user(), at=LAGOS_NOON) == message
    assert send_receipt(receipt.pk) == MessageStatus.SENT
    assert Message.objects.filter(purpose="payment_receipt", account=ng, status=MessageStatus.SENT).count() == 1


def test_an_opted_out_customer_gets_no_receipt_message_but_keeps_the_receipt(ng, client):
    for channel in ("sms", "email"):
        compliance.consent_revoke(customer=ng.customer, channel=channel, source="agent", actor=system_user())
    post_event(client, succeeded(ng, Decimal("100.00")))
    receipt = Receipt.objects.get(payment__account=ng)
    assert receipt.sent_at is None and "Held back" in receipt.send_note
    assert not DevOutboxEntry.objects.filter(message__account=ng).exists()
    assert receipt.confirmation_number  # still on the portal, timeline and evidence pack


def test_a_customer_without_phone_or_email_is_noted_not_an_error(ng, client):
    customer = ng.customer
    customer.phone, customer.email = "", ""
    customer.save()
    post_event(client, succeeded(ng, Decimal("100.00")))
    receipt = Receipt.objects.get(payment__account=ng)
    assert receipt.message is None and receipt.send_note.startswith("No phone number or email")
