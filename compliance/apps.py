from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self):
        # Importing these registers their evidence-pack sections.
        from . import evidence_audit, evidence_sections, signals  # noqa: F401

        signals.connect()
