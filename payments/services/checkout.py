"""Starting a payment: a pay link (Checkout Session) for any amount from the creditor's minimum up to
the balance, idempotent per (account, amount, client idempotency key)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Account
from collections_crm import money
from collections_crm.errors import ApplicationError
from compliance.audit import audit_record

from ..choices import CheckoutStatus, PaymentPurpose, SettlementStatus
from ..gateways import GatewayError, get_gateway
from ..models import CheckoutSession
from .ledger import lock_account
from .policy import policy_for

ZERO = Decimal("0")


def validate_amount(*, account: Account, amount: Decimal, currency: str | None = None) -> Decimal:
    """Plain-words refusal for amounts that cannot be paid on this account."""
    if account.is_closed:
        raise ApplicationError("This account is already closed; nothing more is owed.", {"code": "account_closed"})
    if currency and currency != account.currency:
        raise ApplicationError(f"This account is in {account.currency}, not {currency}.", {"code": "currency_mismatch"})
    if amount is None or amount <= ZERO:
        raise ApplicationError("Please enter an amount above zero.", {"code": "amount_not_positive"})
    try:
        money.to_minor(amount, account.currency)
    except money.MoneyError as exc:
        raise ApplicationError(str(exc), {"code": "amount_precision"}) from None
    if amount > account.balance:
        raise ApplicationError(
            f"That is more than the balance of {money.format_money(account.balance, account.currency)}.",
            {"code": "amount_above_balance"},
        )
    minimum = min(policy_for(account.creditor).min_payment_amount, account.balance)
    if amount < minimum:
        raise ApplicationError(
            f"The smallest payment we can take is {money.format_money(minimum, account.currency)}.",
            {"code": "amount_below_minimum"},
        )
    return amount


def _key(account: Account, amount: Decimal, client_key: str) -> str:
    # The key binds the amount too: the same click with a different amount is a new checkout.
    return hashlib.sha256(f"{account.pk}:{amount}:{client_key}".encode()).hexdigest()[:40]


@transaction.atomic
def checkout_start(*, actor, account: Account, amount: Decimal, idempotency_key: str, currency: str | None = None,
                   purpose: str = PaymentPurpose.ONE_OFF, return_path: str | None = None) -> CheckoutSession:
    """Open (or find again) a checkout for ``amount``. A double click with the same key returns the same
    session and URL; nothing is created twice. ``return_path`` (a path on this site, e.g. the customer
    portal's confirmation page) is where the customer lands after paying or cancelling, with
    ``session=<provider session id>`` added; the default is the generic result page."""
    if not idempotency_key or len(idempotency_key) > 80:
        raise ApplicationError("A checkout needs an idempotency key (1–80 characters).", {"code": "idempotency_key"})
    key = _key(account, amount, idempotency_key)
    # Clicks on one account queue behind its row lock, so a double click sees the first one's session
    # and the provider is asked only once.
    account = lock_account(account.pk)
    existing = CheckoutSession.objects.filter(account=account, idempotency_key=key).first()
    if existing:
        return existing
    validate_amount(account=account, amount=amount, currency=currency)
    settlement = None
    if purpose == PaymentPurpose.SETTLEMENT:
        settlement = account.settlements.filter(status=SettlementStatus.ACCEPTED).first()
        if settlement is None:
            raise ApplicationError("There is no accepted settlement to pay.", {"code": "no_settlement"})
    gateway = get_gateway()
    metadata = {"account_id": str(account.pk), "purpose": purpose, "currency": account.currency}
    site = settings.SITE_URL.rstrip("/")
    back = return_path if return_path and return_path.startswith("/") and not return_path.startswith("//") \
        else reverse("payments:checkout-result")
    # Stripe replaces {CHECKOUT_SESSION_ID}; the offline page adds session= itself.
    joiner = "&" if "?" in back else "?"
    try:
        result = gateway.create_checkout(
            amount=amount, currency=account.currency, description=f"{account.creditor.display_name} — {account.reference}",
            metadata=metadata, success_url=f"{site}{back}{joiner}status=paid&session={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{site}{back}{joiner}status=cancelled", idempotency_key=key,
        )
    except GatewayError as exc:
        raise ApplicationError(f"The payment page could not be opened: {exc}", {"code": "gateway"}) from None
    session = CheckoutSession(
        account=account, provider=gateway.name, provider_session_id=result.session_id, idempotency_key=key,
        purpose=purpose, settlement=settlement, amount=amount, currency=account.currency, url=result.url,
        status=CheckoutStatus.OPEN, created_by=actor if getattr(actor, "pk", None) else None,
    )
    session.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # A concurrent double click won the race: return its session.
        return CheckoutSession.objects.get(account=account, idempotency_key=key)
    audit_record(actor=actor, action="payment.checkout_started", obj=session, account=account,
                 payload={"amount": str(amount), "currency": account.currency, "provider": gateway.name})
    return session
