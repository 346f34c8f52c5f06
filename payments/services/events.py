"""Processing stored provider events: map each Stripe-shaped event to one ledger service.

Order does not matter: payments are keyed by the PaymentIntent id (a success after a failure wins, a
failure after a success changes nothing) and refunds that arrive before their payment wait for it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Customer
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked, system_user
from compliance.audit import audit_record

from ..choices import EventStatus, PaymentPurpose, ReversalKind
from ..gateways.base import from_provider_amount
from ..models import CheckoutSession, Payment, ProviderEvent, SavedPaymentMethod
from .ledger import (
    ProviderPayment,
    payment_mark_disputed,
    payment_record_failure,
    payment_record_success,
    payment_reverse,
)


def _account_id(obj: dict) -> int:
    meta = obj.get("metadata") or {}
    raw = meta.get("account_id") or obj.get("client_reference_id")
    if not raw and obj.get("object") == "checkout.session":
        session = CheckoutSession.objects.filter(provider_session_id=obj.get("id")).first()
        raw = session.account_id if session else None
    if not raw and obj.get("payment_intent"):
        payment = Payment.objects.filter(provider_payment_id=obj["payment_intent"]).first()
        raw = payment.account_id if payment else None
    try:
        account_id = int(raw)
    except (TypeError, ValueError):
        raise ApplicationError("The event names no account we know.", {"code": "unknown_account"}) from None
    if account_id <= 0 or not Account.objects.filter(pk=account_id).exists():
        raise ApplicationError(f"The event names account {account_id}, which does not exist.",
                               {"code": "unknown_account"})
    return account_id


def _info(provider: str, obj: dict, *, intent_id: str, amount_minor: int, session_id: str = "") -> ProviderPayment:
    meta = obj.get("metadata") or {}
    currency = str(obj.get("currency") or "").upper()
    card = ((obj.get("payment_method_details") or {}).get("card")) or {}
    if amount_minor is None or int(amount_minor) <= 0:
        raise ApplicationError("The event's amount is zero or negative.", {"code": "amount_not_positive"})
    return ProviderPayment(
        provider=provider, provider_payment_id=intent_id, amount=from_provider_amount(amount_minor, currency),
        currency=currency, charge_id=str(obj.get("latest_charge") or ""), checkout_session_id=session_id,
        purpose=meta.get("purpose") or PaymentPurpose.ONE_OFF,
        plan_id=int(meta["plan_id"]) if str(meta.get("plan_id", "")).isdigit() else None,
        card_brand=card.get("brand", ""), card_last4=card.get("last4", ""),
        failure_reason=((obj.get("last_payment_error") or {}).get("message") or "")[:300],
    )


def _checkout_session(provider, obj, actor, *, paid: bool | None):
    if obj.get("mode") == "setup":
        return _setup_done(provider, obj, actor)
    if not obj.get("payment_intent"):
        return "ignored"
    info = _info(provider, obj, intent_id=obj["payment_intent"], amount_minor=obj.get("amount_total"),
                 session_id=obj.get("id", ""))
    account_id = _account_id(obj)
    if paid is None:
        paid = obj.get("payment_status") == "paid"
        if not paid:
            return "ignored"  # async method: wait for async_payment_succeeded / failed
    if paid:
        payment_record_success(actor=actor, account_id=account_id, info=info)
    else:
        payment_record_failure(actor=actor, account_id=account_id,
                               info=ProviderPayment(**{**info.__dict__, "failure_reason": "The payment did not go through."}))
    return "processed"


def _intent(provider, obj, actor, *, succeeded: bool):
    amount = obj.get("amount_received") if succeeded else obj.get("amount")
    info = _info(provider, obj, intent_id=obj["id"], amount_minor=amount or obj.get("amount"))
    account_id = _account_id(obj)
    if succeeded:
        payment_record_success(actor=actor, account_id=account_id, info=info)
    else:
        payment = payment_record_failure(actor=actor, account_id=account_id, info=info)
        from .plans import plan_autopay_failed

        plan_autopay_failed(actor=actor, payment=payment)
    return "processed"


def _refunded(provider, obj, actor, event_id):
    intent_id = obj.get("payment_intent") or ""
    currency = str(obj.get("currency") or "").upper()
    refunds = ((obj.get("refunds") or {}).get("data")) or []
    meta_account = (obj.get("metadata") or {}).get("account_id")
    account_id = int(meta_account) if str(meta_account or "").isdigit() else None
    if refunds:
        for refund in refunds:
            payment_reverse(actor=actor, kind=ReversalKind.REFUND, provider_ref=refund["id"],
                            provider_payment_id=intent_id, amount=from_provider_amount(refund["amount"], currency),
                            currency=currency, account_id=account_id)
    else:
        payment_reverse(actor=actor, kind=ReversalKind.REFUND, provider_ref=f"{obj.get('id')}:{obj.get('amount_refunded')}",
                        provider_payment_id=intent_id, account_id=account_id, currency=currency,
                        amount=from_provider_amount(obj.get("amount_refunded") or 0, currency))
    return "processed"


def _dispute(provider, obj, actor, *, closed: bool):
    intent_id = obj.get("payment_intent") or ""
    if not closed:
        payment_mark_disputed(actor=actor, provider_payment_id=intent_id, dispute_id=obj["id"], status="open")
    elif obj.get("status") == "lost":
        currency = str(obj.get("currency") or "").upper()
        payment_reverse(actor=actor, kind=ReversalKind.CHARGEBACK, provider_ref=obj["id"], provider_payment_id=intent_id,
                        amount=from_provider_amount(obj.get("amount") or 0, currency), currency=currency,
                        reason=obj.get("reason") or "")
    else:
        payment_mark_disputed(actor=actor, provider_payment_id=intent_id, dispute_id=obj["id"], status="won")
    return "processed"


def _customer_for(obj) -> Customer | None:
    meta = obj.get("metadata") or {}
    if str(meta.get("customer_id", "")).isdigit():
        return Customer.objects.filter(pk=int(meta["customer_id"])).first()
    if obj.get("customer"):
        method = SavedPaymentMethod.objects.filter(provider_customer_id=obj["customer"]).first()
        return method.customer if method else None
    return None


@transaction.atomic
def _upsert_method(provider, *, method_id, customer_obj_id, obj, actor, customer=None) -> str:
    card = obj.get("card") or {}
    method = SavedPaymentMethod.objects.select_for_update().filter(provider_method_id=method_id).first()
    if method is None:
        customer = customer or _customer_for(obj)
        if customer is None:
            raise ApplicationError("The card belongs to no customer we know.", {"code": "unknown_customer"})
        method = SavedPaymentMethod(customer=customer, provider=provider, provider_method_id=method_id,
                                    provider_customer_id=customer_obj_id or "")
    method.brand = card.get("brand", method.brand) or ""
    method.last4 = card.get("last4", method.last4) or ""
    method.exp_month = card.get("exp_month", method.exp_month)
    method.exp_year = card.get("exp_year", method.exp_year)
    method.provider_customer_id = customer_obj_id or method.provider_customer_id
    save_tracked(method, actor=actor, reason="Card saved or updated")
    audit_record(actor=actor, action="payment_method.saved", obj=method, customer=method.customer,
                 payload={"brand": method.brand, "last4": method.last4})
    return "processed"


def _setup_done(provider, obj, actor):
    method_id = obj.get("payment_method") or (obj.get("setup_intent") if isinstance(obj.get("setup_intent"), str) else "")
    if not method_id:
        return "ignored"
    return _upsert_method(provider, method_id=method_id, customer_obj_id=obj.get("customer") or "", obj=obj, actor=actor)


def _expiring(provider, obj, actor):
    method = SavedPaymentMethod.objects.filter(provider_method_id=obj.get("id")).first()
    if method is None:
        return "ignored"
    method.expiring_reported_at = timezone.now()
    save_tracked(method, actor=actor, reason="Card expiring soon")
    return "processed"


def _dispatch(event: ProviderEvent, actor) -> str:
    obj = (event.payload.get("data") or {}).get("object") or {}
    kind, provider = event.type, event.provider
    if kind == "checkout.session.completed":
        return _checkout_session(provider, obj, actor, paid=None)
    if kind == "checkout.session.async_payment_succeeded":
        return _checkout_session(provider, obj, actor, paid=True)
    if kind == "checkout.session.async_payment_failed":
        return _checkout_session(provider, obj, actor, paid=False)
    if kind == "payment_intent.succeeded":
        return _intent(provider, obj, actor, succeeded=True)
    if kind == "payment_intent.payment_failed":
        return _intent(provider, obj, actor, succeeded=False)
    if kind == "charge.refunded":
        return _refunded(provider, obj, actor, event.event_id)
    if kind == "charge.dispute.created":
        return _dispute(provider, obj, actor, closed=False)
    if kind == "charge.dispute.closed":
        return _dispute(provider, obj, actor, closed=True)
    if kind == "setup_intent.succeeded":
        return _setup_done(provider, obj, actor)
    if kind in ("payment_method.attached", "payment_method.automatically_updated"):
        return _upsert_method(provider, method_id=obj["id"], customer_obj_id=obj.get("customer") or "", obj=obj,
                              actor=actor)
    if kind == "customer.source.expiring":
        return _expiring(provider, obj, actor)
    return "ignored"


def event_process(*, event_pk: int) -> str:
    """Process one stored event once. Business refusals (unknown account, currency mismatch, zero
    amount) mark the event failed with a plain reason and an audit entry; nothing is applied."""
    actor = system_user()
    with transaction.atomic():
        event = ProviderEvent.objects.select_for_update().get(pk=event_pk)
        if event.status != EventStatus.RECEIVED:
            return event.status
        event.attempts += 1
        try:
            with transaction.atomic():
                outcome = _dispatch(event, actor)
        except ApplicationError as exc:
            event.status, event.error = EventStatus.FAILED, exc.message
            audit_record(actor=actor, action="webhook.rejected", obj=event,
                         payload={"type": event.type, "event": event.event_id, "reason": exc.message, **exc.extra})
            outcome = EventStatus.FAILED
        else:
            event.status = EventStatus.PROCESSED if outcome == "processed" else EventStatus.IGNORED
        event.processed_at = timezone.now()
        event.save(update_fields=["status", "error", "attempts", "processed_at"])
    return outcome
