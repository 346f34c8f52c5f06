"""The one static Celery beat schedule (style.md: one static CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "accounts-refresh-delinquency-buckets": {
        "task": "accounts.tasks.refresh_delinquency_buckets",
        "schedule": crontab(minute=15, hour=2),
    },
    "compliance-expire-holds": {
        "task": "compliance.tasks.expire_holds",
        "schedule": crontab(minute="*/15"),
    },
}
