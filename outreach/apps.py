from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"

    def ready(self):
        # Celery's autodiscovery finds outreach.tasks; the cadence tasks live in their own subpackage.
        from .cadences import tasks  # noqa: F401
