"""The one static Celery beat schedule (style.md: one static CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "accounts-refresh-delinquency-buckets": {
        "task": "accounts.tasks.refresh_delinquency_buckets",
        "schedule": crontab(minute=15, hour=2),
    },
    "accounts-wake-waiting-cases": {
        "task": "accounts.tasks.wake_waiting_cases",
        "schedule": crontab(minute="*/10"),
    },
    "payments-plans-daily": {
        "task": "payments.tasks.plans_daily",
        "schedule": crontab(minute=0, hour=6),
    },
    "payments-promises-daily": {
        "task": "payments.tasks.promises_daily",
        "schedule": crontab(minute=30, hour=6),
    },
    "outreach-cadence-tick": {
        "task": "outreach.cadences.tick",
        "schedule": crontab(minute="*/5"),
    },
    "outreach-campaign-tick": {
        "task": "outreach.campaigns.tick",
        "schedule": crontab(minute="*/10"),
    },
    "outreach-proactive": {
        "task": "outreach.proactive.run",
        "schedule": crontab(minute=20),
    },
    "compliance-expire-holds": {
        "task": "compliance.tasks.expire_holds",
        "schedule": crontab(minute="*/15"),
    },
    "outreach-reconcile-stuck-messages": {
        "task": "outreach.tasks.reconcile_stuck_messages",
        "schedule": crontab(minute="*/10"),
    },
}
