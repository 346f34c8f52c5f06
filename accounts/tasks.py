"""Thin Celery tasks for accounts: they re-fetch and call services."""

from celery import shared_task


@shared_task(acks_late=True)
def refresh_delinquency_buckets():
    """Move accounts into the bucket their days past due now put them in (history recorded)."""
    from .services_buckets import accounts_refresh_buckets

    return accounts_refresh_buckets()
