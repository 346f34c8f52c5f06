from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Allocation,
    CheckoutSession,
    Instalment,
    InstalmentPlan,
    Payment,
    PaymentPolicy,
    PromiseToPay,
    ProviderEvent,
    Receipt,
    Reversal,
    SavedPaymentMethod,
    Settlement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger rows and provider events change only through services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["confirmation_number", "account", "amount", "currency", "status", "provider", "created_at"]
    list_filter = ["status", "provider", "currency"]
    search_fields = ["confirmation_number", "provider_payment_id", "account__reference"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["account", "payment", "instalment", "kind", "amount", "created_at"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "status", "attempts", "received_at", "error"]
    list_filter = ["status", "type", "provider"]
    search_fields = ["event_id", "object_id"]


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0
    can_delete = False
    readonly_fields = ["seq", "due_date", "amount", "paid_amount", "status", "retry_count", "next_retry_on"]


@admin.register(InstalmentPlan)
class InstalmentPlanAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["account", "status", "frequency", "total", "currency", "accepted_at"]
    list_filter = ["status", "frequency"]
    inlines = [InstalmentInline]


admin.site.register(PaymentPolicy, SimpleHistoryAdmin)
for model in (CheckoutSession, Reversal, Receipt, SavedPaymentMethod, Settlement, PromiseToPay):
    admin.site.register(model, ReadOnlyAdmin)
