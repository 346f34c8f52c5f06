"""The dev outbox (``/dev/outbox/``): what the dev back-end "sent", with buttons to simulate the
provider's delivery report and the customer's reply. Staff, or anyone signed in while DEBUG is on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from collections_crm.errors import ApplicationError

from .forms import DevReplyForm
from .models import DevOutboxEntry
from .services.delivery import message_delivery_update

SIMULATED_STATUSES = ("delivered", "undelivered", "failed")


class DevOutboxMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (settings.DEBUG or request.user.is_staff):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def dev_outbox_entries():
    return DevOutboxEntry.objects.select_related("message", "message__customer").order_by("-created_at", "-id")


class DevOutboxView(DevOutboxMixin, View):
    def get(self, request):
        rows = [(entry, DevReplyForm(auto_id=f"reply{entry.pk}_%s")) for entry in dev_outbox_entries()[:100]]
        return render(request, "outreach/dev_outbox.html", {"rows": rows, "statuses": SIMULATED_STATUSES})


class DevOutboxDeliveryView(DevOutboxMixin, View):
    def post(self, request, pk):
        entry = get_object_or_404(DevOutboxEntry, pk=pk)
        status = request.POST.get("status", "")
        if status not in SIMULATED_STATUSES:
            messages.error(request, _("Choose delivered, undelivered or failed."))
            return redirect("dev-outbox")
        message_delivery_update(provider_message_id=entry.provider_message_id, provider_status=status,
                                error_code="30003" if status != "delivered" else "")
        messages.success(request, _("Delivery report simulated."))
        return redirect("dev-outbox")


class DevOutboxReplyView(DevOutboxMixin, View):
    def post(self, request, pk):
        from .services.inbound import inbound_receive

        entry = get_object_or_404(DevOutboxEntry.objects.select_related("message"), pk=pk)
        form = DevReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write the reply first."))
            return redirect("dev-outbox")
        try:
            inbound_receive(channel=entry.channel, from_address=entry.to_address, to_address=entry.from_address,
                            body=form.cleaned_data["text"], subject=f"Re: {entry.subject}" if entry.subject else "",
                            provider_message_id=None)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("dev-outbox")
        messages.success(request, _("Reply received as if the customer had sent it."))
        return redirect("dev-outbox")
