"""A creditor's payment policy, created with defaults on first use."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import PaymentPolicy


def policy_for(creditor) -> PaymentPolicy:
    """The creditor's PaymentPolicy (defaults when none was set)."""
    policy = PaymentPolicy.objects.filter(creditor=creditor).first()
    if policy:
        return policy
    try:
        with transaction.atomic():
            return PaymentPolicy.objects.create(creditor=creditor)
    except IntegrityError:
        return PaymentPolicy.objects.get(creditor=creditor)
