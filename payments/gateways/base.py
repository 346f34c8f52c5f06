"""The payment gateway interface. Two implementations: Stripe (``stripe_client``) and the offline
gateway (``offline``) used by the embedded default, demos and tests. Amounts cross this interface as
integer minor units, converted in one place (``to_provider_amount`` / ``from_provider_amount``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from collections_crm import money


class SignatureError(Exception):
    """The webhook signature is missing, malformed, stale or wrong."""


class GatewayError(Exception):
    """The provider refused or failed a request."""


def to_provider_amount(amount: Decimal, currency: str) -> int:
    """Decimal → the integer the provider expects. Stripe uses the ISO minor unit for every currency we
    trade in (NGN, USD, GBP, EUR, KES: 2 decimals; JPY: zero-decimal), which is what CLDR gives."""
    return money.to_minor(amount, currency)


def from_provider_amount(units: int, currency: str) -> Decimal:
    return money.from_minor(int(units), currency.upper())


@dataclass(frozen=True)
class CheckoutResult:
    session_id: str
    url: str


@dataclass(frozen=True)
class ChargeResult:
    payment_id: str
    status: str  # "succeeded", "processing", "failed"
    failure_reason: str = ""


class Gateway(ABC):
    """What the payment services need from a provider."""

    name: str

    @abstractmethod
    def create_checkout(
        self, *, amount: Decimal, currency: str, description: str, metadata: dict, success_url: str,
        cancel_url: str, idempotency_key: str,
    ) -> CheckoutResult: ...

    @abstractmethod
    def create_customer(self, *, name: str, email: str, metadata: dict) -> str: ...

    @abstractmethod
    def create_setup(self, *, customer_id: str, metadata: dict, success_url: str, cancel_url: str,
                     idempotency_key: str) -> CheckoutResult:
        """A page where the customer saves a card for autopay (a SetupIntent underneath)."""

    @abstractmethod
    def charge_saved_method(
        self, *, customer_id: str, method_id: str, amount: Decimal, currency: str, metadata: dict,
        idempotency_key: str,
    ) -> ChargeResult: ...

    @abstractmethod
    def refund(self, *, payment_id: str, amount: Decimal, currency: str, idempotency_key: str) -> str: ...

    def verify_event(self, payload: bytes, signature: str | None) -> dict:
        """Check the Stripe-scheme signature and return the event as a plain dict."""
        from .stripe_client import construct_event

        return construct_event(payload, signature)
