from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Account,
    AgentProfile,
    CallbackRequest,
    Case,
    Creditor,
    Customer,
    PlacementImport,
    RoutingPolicy,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")


@admin.register(Creditor)
class CreditorAdmin(SimpleHistoryAdmin):
    list_display = ("display_name", "slug", "country", "currency", "high_value_threshold", "is_active")
    search_fields = ("name", "display_name", "slug")
    prepopulated_fields = {"slug": ("display_name",)}


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("external_ref", "first_name", "last_name", "creditor", "preferred_channel", "language")
    list_filter = ("creditor", "preferred_channel", "language")
    search_fields = ("external_ref", "first_name", "last_name", "email", "phone")
    list_select_related = ("creditor",)
    raw_id_fields = ("creditor",)


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "creditor", "customer", "balance", "currency", "status", "delinquency_bucket")
    list_filter = ("status", "delinquency_bucket", "creditor")
    search_fields = ("reference",)
    list_select_related = ("creditor", "customer")
    raw_id_fields = ("customer", "creditor")
    show_full_result_count = False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("id", "account", "queue", "routing_reason", "status", "assignee", "priority", "sla_due_at")
    list_filter = ("queue", "status", "routing_reason")
    list_select_related = ("account", "account__creditor", "assignee")
    raw_id_fields = ("account", "creditor", "assignee")
    show_full_result_count = False


@admin.register(AgentProfile)
class AgentProfileAdmin(SimpleHistoryAdmin):
    list_display = ("display_name", "user", "capacity", "is_available")


@admin.register(PlacementImport)
class PlacementImportAdmin(SimpleHistoryAdmin):
    """Read-only: imports are made through the upload page, the API or the command."""

    list_display = ("file_name", "creditor", "actor", "source", "status", "created", "updated", "unchanged",
                    "rejected", "started_at")
    list_filter = ("status", "source", "creditor")
    list_select_related = ("creditor", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoutingPolicy)
class RoutingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("creditor", "high_value_threshold", "broken_plan_limit", "updated_at")
    list_select_related = ("creditor",)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(SimpleHistoryAdmin):
    list_display = ("id", "case", "status", "source", "channel", "preferred_at", "created_at")
    list_filter = ("status", "source", "channel")
    raw_id_fields = ("case", "created_by", "completed_by")
