"""Choices for money in: payments, events, plans, promises, settlements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    STRIPE = "stripe", _("Stripe")
    OFFLINE = "offline", _("Offline (local test gateway)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    DISPUTED = "disputed", _("Disputed by the card holder")
    CHARGED_BACK = "charged_back", _("Charged back")


class PaymentPurpose(models.TextChoices):
    ONE_OFF = "one_off", _("One-off payment")
    INSTALMENT = "instalment", _("Plan instalment")
    SETTLEMENT = "settlement", _("Settlement")


class CheckoutStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the customer")
    COMPLETE = "complete", _("Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Failed")


class AllocationKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Refund or chargeback reversal")
    SETTLEMENT_DISCOUNT = "settlement_discount", _("Settlement discount")


class ReversalKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    CHARGEBACK = "chargeback", _("Chargeback")


class CreditStatus(models.TextChoices):
    NONE = "none", _("No credit")
    REFUND_DUE = "refund_due", _("Overpaid: refund due")
    REFUNDED = "refunded", _("Overpayment refunded")


class PlanStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Waiting for a supervisor")
    PROPOSED = "proposed", _("Offered, not yet accepted")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    BROKEN = "broken", _("Broken")
    CANCELLED = "cancelled", _("Cancelled")


class PlanKind(models.TextChoices):
    STANDARD = "standard", _("Instalments")
    SHORT = "short", _("One-time short plan")
    STEP_UP = "step_up", _("Start small, then step up")
    CUSTOM = "custom", _("Dates and amounts the customer chose")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    CUSTOM = "custom", _("Dates the customer chose")


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PARTIAL = "partial", _("Part paid")
    PAID = "paid", _("Paid")
    MISSED = "missed", _("Missed")


class SettlementStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Waiting for a supervisor")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    PAID = "paid", _("Paid: account settled")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")
    CANCELLED = "cancelled", _("Cancelled")


class AcceptanceChannel(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    PHONE = "phone", _("Phone call with an agent")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    API = "api", _("API")
