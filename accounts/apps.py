from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Creditors, customers, accounts, cases, agents; routing lives here."""

    name = "accounts"
    verbose_name = "Accounts and cases"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_system_user, sync_role_permissions

        post_migrate.connect(sync_role_permissions, sender=self)
        post_migrate.connect(ensure_system_user, sender=self)
