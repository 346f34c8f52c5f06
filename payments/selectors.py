"""Reads for payments, with what pages and the API need already joined."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .choices import PromiseStatus
from .models import InstalmentPlan, Payment, PromiseToPay, Settlement


def payment_list(*, account_id: int | None = None) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("account", "receipt").order_by("-created_at", "-id")
    return qs.filter(account_id=account_id) if account_id else qs


def plan_list(*, account_id: int | None = None) -> QuerySet[InstalmentPlan]:
    qs = InstalmentPlan.objects.select_related("account", "proposed_by", "approved_by").prefetch_related("instalments")
    return qs.filter(account_id=account_id) if account_id else qs


def settlement_list(*, account_id: int | None = None) -> QuerySet[Settlement]:
    qs = Settlement.objects.select_related("account", "proposed_by", "approved_by")
    return qs.filter(account_id=account_id) if account_id else qs


def promise_list(*, account_id: int | None = None) -> QuerySet[PromiseToPay]:
    qs = PromiseToPay.objects.select_related("account", "taken_by")
    return qs.filter(account_id=account_id) if account_id else qs


def promise_counts(*, account_id: int) -> dict:
    """Kept and broken promises, counted (for the desk and routing)."""
    return PromiseToPay.objects.filter(account_id=account_id).aggregate(
        kept=Count("id", filter=Q(status=PromiseStatus.KEPT)),
        broken=Count("id", filter=Q(status=PromiseStatus.BROKEN)),
        open=Count("id", filter=Q(status=PromiseStatus.OPEN)),
    )
