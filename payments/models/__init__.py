"""Money in: policy, checkouts, payments and their allocations, provider events, plans, settlements,
promises to pay, saved payment methods and receipts."""

from .events import ProviderEvent
from .methods import SavedPaymentMethod
from .payments import Allocation, CheckoutSession, Payment, Receipt, Reversal
from .plans import Instalment, InstalmentPlan
from .policy import PaymentPolicy
from .promises import PromiseToPay
from .settlements import Settlement

__all__ = [
    "Allocation", "CheckoutSession", "Instalment", "InstalmentPlan", "Payment", "PaymentPolicy",
    "PromiseToPay", "ProviderEvent", "Receipt", "Reversal", "SavedPaymentMethod", "Settlement",
]
