"""Thin Celery tasks for accounts: they re-fetch and call services."""

from celery import shared_task


@shared_task(acks_late=True)
def refresh_delinquency_buckets():
    """Move accounts into the bucket their days past due now put them in (history recorded)."""
    from .services_buckets import accounts_refresh_buckets

    return accounts_refresh_buckets()


@shared_task(acks_late=True)
def wake_waiting_cases():
    """Cases waiting on the customer (a promise date, a plan's first payment) come back when it is time."""
    from .services_assignment import cases_wake_due

    return cases_wake_due()
