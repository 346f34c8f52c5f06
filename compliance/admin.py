"""Compliance models in the Django admin. Audit events, consent records, gate decisions and contact
attempts are append-only evidence: viewable, never added, changed or deleted here (the services and the
audit chain are the only writers)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AuditEvent,
    ConsentRecord,
    ContactAttempt,
    ContactPreference,
    CreditorContactPolicy,
    Dispute,
    DisputeEvidence,
    GateDecision,
    Hold,
)


class EvidenceReadOnlyMixin:
    """No add, change or delete permission: the admin shows the record and nothing more."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(EvidenceReadOnlyMixin, admin.ModelAdmin):
    list_display = ("seq", "at", "actor_username", "action", "object_type", "object_id", "account_id")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "actor_username")
    show_full_result_count = False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(EvidenceReadOnlyMixin, admin.ModelAdmin):
    list_display = ("customer", "channel", "status", "source", "at")
    list_filter = ("channel", "status", "source")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "actor")


@admin.register(GateDecision)
class GateDecisionAdmin(EvidenceReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "customer", "account", "channel", "purpose", "allowed", "rule_version")
    list_filter = ("allowed", "channel", "purpose")
    list_select_related = ("customer", "account")
    raw_id_fields = ("customer", "account", "actor")
    show_full_result_count = False


@admin.register(ContactAttempt)
class ContactAttemptAdmin(EvidenceReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("at", "customer", "account", "channel", "purpose", "status", "is_conversation")
    list_filter = ("status", "channel", "purpose")
    list_select_related = ("customer", "account")
    raw_id_fields = ("customer", "account", "decision")
    show_full_result_count = False


@admin.register(ContactPreference)
class ContactPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ("customer", "hours_start", "hours_end", "days_mask", "no_contact_at_work", "updated_at")
    raw_id_fields = ("customer",)


@admin.register(CreditorContactPolicy)
class CreditorContactPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("creditor", "version", "window_start", "window_end", "updated_at")
    raw_id_fields = ("creditor", "updated_by")


@admin.register(Hold)
class HoldAdmin(SimpleHistoryAdmin):
    list_display = ("customer", "account", "kind", "status", "starts_at", "ends_at")
    list_filter = ("kind", "status")
    list_select_related = ("customer", "account")
    raw_id_fields = ("customer", "account", "placed_by", "lifted_by")


class DisputeEvidenceInline(admin.TabularInline):
    model = DisputeEvidence
    extra = 0
    readonly_fields = ("file", "name", "uploaded_at", "uploaded_by")


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("account", "customer", "reason", "status", "opened_at", "sla_due_at")
    list_filter = ("status", "reason", "source")
    list_select_related = ("account", "customer")
    raw_id_fields = ("account", "customer", "hold", "opened_by", "resolved_by")
    inlines = [DisputeEvidenceInline]


@admin.register(DisputeEvidence)
class DisputeEvidenceAdmin(admin.ModelAdmin):
    list_display = ("dispute", "name", "uploaded_at", "uploaded_by")
    raw_id_fields = ("dispute", "uploaded_by")
