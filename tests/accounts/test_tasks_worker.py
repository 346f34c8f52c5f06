"""The bucket refresh through a real Celery worker process (tests/celery_support.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import DelinquencyBucket
from accounts.models import Account
from accounts.tasks import refresh_delinquency_buckets
from collections_crm.history import SYSTEM_USERNAME
from tests.accounts.factories import AccountFactory, CaseFactory


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_worker_moves_account_across_bucket_edge_with_system_history(transactional_db, celery_worker):
    today = timezone.localdate()
    crossed = AccountFactory(due_date=today - timedelta(days=31), delinquency_bucket=DelinquencyBucket.DPD_1_30)
    CaseFactory(account=crossed)
    steady = AccountFactory(due_date=today - timedelta(days=45), delinquency_bucket=DelinquencyBucket.DPD_31_60)
    history_before = crossed.history.count()

    refresh_delinquency_buckets.delay()

    celery_worker.wait_until(
        lambda: Account.objects.get(pk=crossed.pk).delinquency_bucket == DelinquencyBucket.DPD_31_60
    )
    assert "refresh_delinquency_buckets" in celery_worker.log and "succeeded" in celery_worker.log
    latest = Account.objects.get(pk=crossed.pk).history.latest()
    assert crossed.history.count() == history_before + 1
    assert latest.history_type == "~"
    assert latest.history_user.username == SYSTEM_USERNAME
    assert latest.history_change_reason == "Delinquency bucket refreshed"
    assert Account.objects.get(pk=steady.pk).history.count() == 1  # untouched: no edge crossed
