from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self):
        from . import evidence_audit, signals  # noqa: F401  (evidence_audit registers its sections)

        signals.connect()
