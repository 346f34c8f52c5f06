from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self):
        from . import evidence_sections  # noqa: F401  (registers the contact-gate evidence sections)
