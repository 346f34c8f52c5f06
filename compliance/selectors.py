"""Reads for the contact gate and the compliance screens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import Account, Customer

from .choices import AttemptStatus, HoldStatus
from .gate import ConsentState, ContactRecord, GateContext, HoldSnapshot, Preferences
from .models import ConsentRecord, ContactAttempt, ContactPreference, CreditorContactPolicy, Dispute, Hold
from .rules import Tightening, holiday_dates, profile_for, zones_for

# How far back the gate needs history: the longest cap window or cooldown, with a day to spare for zones.
HISTORY_DAYS = 32


def policy_tightening(policy: CreditorContactPolicy | None) -> Tightening | None:
    if policy is None:
        return None
    return Tightening(
        version=str(policy.version),
        window_start=policy.window_start,
        window_end=policy.window_end,
        quiet_weekdays=frozenset(policy.quiet_weekdays or ()),
        channel_limits={ch: (int(v[0]), int(v[1])) for ch, v in (policy.channel_limits or {}).items()},
    )


def customer_jurisdiction(customer: Customer) -> tuple[str, str]:
    country = customer.country or customer.creditor.country
    region = customer.region if customer.country else (customer.region or customer.creditor.region)
    return country.upper(), (region or "").upper()


def preferences_of(customer: Customer, pref: ContactPreference | None) -> Preferences:
    if pref is None:
        if customer.contact_hours_start and customer.contact_hours_end:
            return Preferences(hours_start=customer.contact_hours_start, hours_end=customer.contact_hours_end)
        return Preferences()
    defaults = Preferences()
    return Preferences(
        hours_start=pref.hours_start or customer.contact_hours_start,
        hours_end=pref.hours_end or customer.contact_hours_end,
        days=frozenset(pref.days or ()),
        no_contact_at_work=pref.no_contact_at_work,
        work_start=pref.work_start or defaults.work_start,
        work_end=pref.work_end or defaults.work_end,
        work_days=frozenset(pref.work_days) if pref.work_days else defaults.work_days,
    )


def contact_points_of(customer: Customer) -> frozenset[str]:
    points = set()
    if customer.email:
        points.add("email")
    if customer.phone:
        points |= {"sms", "whatsapp", "voice"}
    return frozenset(points)


def gate_context_for(*, customer: Customer, account: Account | None, at: datetime | None = None) -> GateContext:
    """Load everything the gate needs for one customer (and account) in a handful of queries."""
    at = at or timezone.now()
    creditor = customer.creditor
    policy = CreditorContactPolicy.objects.filter(creditor_id=creditor.pk).first()
    pref = ContactPreference.objects.filter(customer_id=customer.pk).first()
    consents: dict[str, ConsentState] = {}
    for rec in ConsentRecord.objects.filter(customer_id=customer.pk).order_by("channel", "-at", "-id"):
        consents.setdefault(rec.channel, ConsentState(rec.status, rec.at, rec.source))
    holds = tuple(
        HoldSnapshot(h.kind, h.account_id, h.starts_at, h.ends_at)
        for h in Hold.objects.filter(customer_id=customer.pk, status=HoldStatus.ACTIVE)
    )
    since = at - timedelta(days=HISTORY_DAYS)
    history = tuple(
        ContactRecord(a.at, a.channel, a.account_id, a.purpose, a.is_conversation)
        for a in ContactAttempt.objects.filter(
            customer_id=customer.pk, at__gte=since, status__in=AttemptStatus.counted()
        ).only("at", "channel", "account_id", "purpose", "is_conversation")
    )
    # Opt-out confirmations are looked for since the opt-out, however long ago.
    country, region = customer_jurisdiction(customer)
    profile = profile_for(country, region)
    years = tuple(sorted({at.year - 1, at.year, at.year + 1}))
    return GateContext(
        profile=profile,
        tightening=policy_tightening(policy),
        zones=zones_for(customer.time_zone, customer.possible_time_zones or (), country, region),
        account_id=account.pk if account is not None else None,
        holidays=holiday_dates(country, region, years),
        preferences=preferences_of(customer, pref),
        consents=consents,
        holds=holds,
        history=history,
        contact_points=contact_points_of(customer),
        account_closed=bool(account is not None and account.is_closed),
    )


def consent_list(*, customer: Customer | None = None):
    qs = ConsentRecord.objects.select_related("customer", "actor")
    return qs.filter(customer=customer) if customer is not None else qs


def hold_list():
    return Hold.objects.select_related("customer", "account", "placed_by", "lifted_by")


def dispute_list():
    return Dispute.objects.select_related("account", "customer", "hold", "opened_by").prefetch_related("evidence")
