from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PortalSession, PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(SimpleHistoryAdmin):
    """Supervisors edit each creditor's welcome, FAQ, budgeting tips and assistance programmes here."""

    list_display = ("creditor", "date_move_allowed", "date_move_max_days", "social_proof_min_plans")
    raw_id_fields = ("creditor",)


@admin.register(PortalSession)
class PortalSessionAdmin(admin.ModelAdmin):
    """Evidence of portal visits: read-only."""

    list_display = ("id", "account", "opened_at", "verified_method", "ended_at", "end_reason")
    list_select_related = ("account__creditor",)
    raw_id_fields = ("account",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
