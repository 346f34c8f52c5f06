from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Money in: payments, webhooks, plans, settlements, promises, receipts."""

    name = "payments"
    verbose_name = "Payments and plans"

    def ready(self):
        from . import evidence  # noqa: F401  (registers evidence-pack sections)
