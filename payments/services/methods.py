"""Saving a card for autopay and returning overpayments: calls out to the gateway; the results come
back as webhook events (setup_intent.succeeded / payment_method.attached, charge.refunded)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Customer
from collections_crm.errors import ApplicationError
from compliance.audit import audit_record

from ..choices import CreditStatus
from ..gateways import GatewayError, get_gateway
from ..models import Payment, SavedPaymentMethod
from .ledger import lock_account


def card_setup_start(*, actor, customer: Customer, currency: str, idempotency_key: str) -> str:
    """Create (or reuse) the provider's customer and open a card-saving page (Checkout in setup mode, a
    SetupIntent underneath). Returns its URL; the saved card arrives by webhook."""
    gateway = get_gateway()
    existing = SavedPaymentMethod.objects.filter(customer=customer, provider=gateway.name).first()
    metadata = {"customer_id": str(customer.pk), "currency": currency}
    site = settings.SITE_URL.rstrip("/")
    result_url = site + reverse("payments:checkout-result")
    try:
        provider_customer = existing.provider_customer_id if existing else gateway.create_customer(
            name=customer.full_name, email=customer.email, metadata=metadata)
        setup = gateway.create_setup(customer_id=provider_customer, metadata=metadata,
                                     success_url=result_url + "?status=saved", cancel_url=result_url + "?status=cancelled",
                                     idempotency_key=f"setup-{customer.pk}-{idempotency_key}"[:80])
    except GatewayError as exc:
        raise ApplicationError(f"The card page could not be opened: {exc}", {"code": "gateway"}) from None
    with transaction.atomic():
        audit_record(actor=actor, action="payment_method.setup_started", customer=customer,
                     payload={"provider": gateway.name, "session": setup.session_id})
    return setup.url


@transaction.atomic
def payment_refund_credit(*, actor, payment: Payment) -> str:
    """Return an overpayment to the card. The refund is applied when the provider's charge.refunded
    event arrives (credit first, so the balance does not move)."""
    lock_account(payment.account_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.credit_status != CreditStatus.REFUND_DUE or payment.credit_amount <= 0:
        raise ApplicationError("This payment has no overpayment waiting to be returned.", {"code": "no_credit"})
    try:
        refund_id = get_gateway().refund(payment_id=payment.provider_payment_id, amount=payment.credit_amount,
                                         currency=payment.currency, idempotency_key=f"credit-{payment.pk}")
    except GatewayError as exc:
        raise ApplicationError(f"The refund could not be started: {exc}", {"code": "gateway"}) from None
    audit_record(actor=actor, action="payment.refund_requested", obj=payment, account=payment.account,
                 payload={"amount": str(payment.credit_amount), "refund": refund_id})
    return refund_id
