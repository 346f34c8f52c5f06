"""Reads for the customer portal: the current session with its account, what the pages show, and the
help page's numbers. Each page needs a handful of queries; creditor-wide numbers are cached."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q

from accounts.models import Account, Creditor
from compliance.choices import ConsentStatus
from compliance.models import ConsentRecord, ContactPreference, Dispute
from payments.choices import PaymentStatus, PlanStatus
from payments.models import CheckoutSession, InstalmentPlan

from .models import PortalSession, PortalSettings

SESSION_KEY = "portal_session_id"
LANGUAGE_KEY = "portal_language"
OPT_OUT_CHANNELS = ("sms", "email", "whatsapp", "voice")


def portal_session_get(session_id) -> PortalSession | None:
    """The portal session with its account, customer and creditor in one query."""
    if not session_id:
        return None
    return (PortalSession.objects.select_related("account__creditor", "account__customer")
            .filter(pk=session_id).first())


def portal_settings_for(creditor: Creditor) -> PortalSettings:
    """The creditor's portal settings, or unsaved defaults (cached for a minute per creditor)."""
    key = f"portal:settings:{creditor.pk}"
    found = cache.get(key)
    if found is None:
        found = PortalSettings.objects.filter(creditor=creditor).first() or PortalSettings(creditor=creditor)
        cache.set(key, found, 60)
    return found


def min_payment_for(creditor: Creditor) -> Decimal:
    """The creditor's smallest one-off payment (from its payment policy; cached for a minute)."""
    from payments.services import policy_for

    key = f"portal:min-payment:{creditor.pk}"
    found = cache.get(key)
    if found is None:
        found = policy_for(creditor).min_payment_amount
        cache.set(key, found, 60)
    return found


@dataclass(frozen=True)
class Itemisation:
    principal: Decimal
    interest: Decimal
    fees: Decimal
    credits: Decimal
    placed: Decimal
    paid_since: Decimal
    balance: Decimal


def itemisation_of(account: Account) -> Itemisation:
    """What makes up the balance: placed = principal + interest + fees − credits; then what was paid."""
    return Itemisation(account.principal, account.interest, account.fees, account.credits, account.placed_amount,
                       account.placed_amount - account.balance, account.balance)


def active_plan_of(account: Account) -> InstalmentPlan | None:
    return (InstalmentPlan.objects.filter(account=account, status=PlanStatus.ACTIVE)
            .prefetch_related("instalments").first())


def open_dispute_of(account: Account) -> Dispute | None:
    return Dispute.objects.filter(account=account, resolved_at__isnull=True).order_by("-opened_at").first()


def open_callback_of(case):
    """The case's open callback request, if the customer already asked for a call."""
    if case is None:
        return None
    from accounts.choices import CallbackStatus
    from accounts.models import CallbackRequest

    return CallbackRequest.objects.filter(case=case, status=CallbackStatus.OPEN).order_by("-created_at").first()


def checkout_for(account: Account, provider_session_id: str) -> CheckoutSession | None:
    """A checkout of THIS account only (another account's id gets nothing), with its payment."""
    if not provider_session_id:
        return None
    checkout = CheckoutSession.objects.filter(account=account, provider_session_id=provider_session_id[:255]).first()
    if checkout is not None:
        checkout.payment = (checkout.payments.filter(status=PaymentStatus.SUCCEEDED)
                            .select_related("receipt").first())
    return checkout


def opted_out_channels(customer) -> set[str]:
    """Channels whose latest consent record is a revocation."""
    latest: dict[str, str] = {}
    for channel, status in (ConsentRecord.objects.filter(customer=customer).order_by("channel", "-at", "-id")
                            .values_list("channel", "status")):
        latest.setdefault(channel, status)
    return {ch for ch, status in latest.items() if status == ConsentStatus.REVOKED}


def contact_hours_of(customer):
    pref = ContactPreference.objects.filter(customer=customer).first()
    if pref and pref.hours_start:
        return pref.hours_start, pref.hours_end
    return customer.contact_hours_start, customer.contact_hours_end


@dataclass(frozen=True)
class PlanOutcomes:
    finished: int
    broken: int

    @property
    def sample(self) -> int:
        return self.finished + self.broken

    @property
    def finished_percent(self) -> int:
        return round(100 * self.finished / self.sample) if self.sample else 0


def plan_outcomes_for(creditor: Creditor) -> PlanOutcomes:
    """How this creditor's ended plans ended: completed vs broken (cached ten minutes)."""
    key = f"portal:plan-outcomes:{creditor.pk}"
    found = cache.get(key)
    if found is None:
        counts = InstalmentPlan.objects.filter(account__creditor=creditor).aggregate(
            finished=Count("id", filter=Q(status=PlanStatus.COMPLETED)),
            broken=Count("id", filter=Q(status=PlanStatus.BROKEN)),
        )
        found = PlanOutcomes(counts["finished"], counts["broken"])
        cache.set(key, found, 600)
    return found


def social_proof_for(creditor: Creditor, settings: PortalSettings) -> PlanOutcomes | None:
    """The outcomes to quote, only when the sample is big enough and most plans really were finished."""
    outcomes = plan_outcomes_for(creditor)
    if outcomes.sample < max(settings.social_proof_min_plans, 1) or outcomes.finished * 2 <= outcomes.sample:
        return None
    return outcomes
