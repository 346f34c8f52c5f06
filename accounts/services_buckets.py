"""Daily bucket refresh: only accounts whose bucket changed are written, with history rows."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from collections_crm.history import system_user

from .choices import AccountStatus, DelinquencyBucket
from .models import Account

# Bucket edges in days past due: an account changes bucket only when its due date crosses one.
_EDGES = (1, 31, 61, 91, 181)


def accounts_refresh_buckets(*, today: date | None = None, batch_size: int = 2000) -> int:
    """Re-bucket open accounts whose due date just crossed an edge; returns how many changed."""
    today = today or timezone.localdate()
    actor = system_user()
    crossing_dates = [today - timedelta(days=edge) for edge in _EDGES]
    candidates = Account.objects.filter(due_date__in=crossing_dates).exclude(
        status__in=AccountStatus.closed_states()
    )
    changed = 0
    batch: list[Account] = []
    for account in candidates.iterator(chunk_size=batch_size):
        bucket = DelinquencyBucket.for_days(account.days_past_due(today))
        if bucket != account.delinquency_bucket:
            account.delinquency_bucket = bucket
            batch.append(account)
        if len(batch) >= batch_size:
            changed += _flush(batch, actor)
            batch = []
    if batch:
        changed += _flush(batch, actor)
    return changed


def _flush(batch: list[Account], actor) -> int:
    with transaction.atomic():
        bulk_update_with_history(
            batch, Account, ["delinquency_bucket"], default_user=actor,
            default_change_reason="Delinquency bucket refreshed",
        )
    return len(batch)
