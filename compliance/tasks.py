"""Celery tasks for compliance: thin wrappers around services."""

from celery import shared_task

from .services import holds_expire


@shared_task(acks_late=True, time_limit=300)
def expire_holds() -> int:
    """Mark timed holds past their end as expired (idempotent)."""
    return holds_expire()
