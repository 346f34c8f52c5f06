"""Webhook endpoints and the offline gateway's local checkout page (plain, warm text)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from collections_crm import money

from .choices import CheckoutStatus
from .gateways import offline
from .models import CheckoutSession
from .webhooks import webhook_receive


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(View):
    """POST /payments/webhooks/stripe/ — Stripe (and the offline gateway's) signed events."""

    provider = "stripe"

    def post(self, request):
        status, body = webhook_receive(
            provider=self.provider, payload=request.body, signature=request.headers.get("Stripe-Signature"),
        )
        return JsonResponse(body, status=status)


class OfflineWebhookView(StripeWebhookView):
    provider = "offline"


def healthz(request):
    return JsonResponse({"ok": True})


class OfflineCheckoutView(View):
    """The offline gateway's pay page: pay, card declined, or an error — each sent as a signed event
    through the same webhook receiver Stripe uses."""

    template_name = "payments/offline_checkout.html"

    def dispatch(self, request, *args, **kwargs):
        if not settings.PAYMENTS_OFFLINE_PAGE:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _session(self, session_id):
        return get_object_or_404(CheckoutSession.objects.select_related("account__creditor"),
                                 provider_session_id=session_id, provider="offline")

    @staticmethod
    def _next(request) -> str:
        """Where to send the customer afterwards: a path on this site only (never an open redirect)."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return ""

    def get(self, request, session_id):
        session = self._session(session_id)
        return render(request, self.template_name, {
            "session": session, "amount": money.format_money(session.amount, session.currency),
            "next": self._next(request),
        })

    def post(self, request, session_id):
        session = self._session(session_id)
        outcome = request.POST.get("outcome")
        if outcome not in ("succeed", "decline", "error"):
            return render(request, self.template_name, {
                "session": session, "amount": money.format_money(session.amount, session.currency),
                "error": _("Please choose one of the buttons."), "next": self._next(request),
            }, status=400)
        if session.status == CheckoutStatus.OPEN:
            metadata = {"account_id": str(session.account_id), "purpose": session.purpose}
            if session.plan_id:
                metadata["plan_id"] = str(session.plan_id)
            for event in offline.checkout_outcome_events(
                session_id=session.provider_session_id, currency=session.currency, metadata=metadata,
                amount_minor=money.to_minor(session.amount, session.currency), outcome=outcome,
            ):
                offline.deliver(event)
        # Post/redirect/get: refreshing the result page never sends the outcome twice.
        back = self._next(request) or reverse("payments:checkout-result")
        return redirect(f"{back}?session={session.provider_session_id}&status={outcome}")


def checkout_result(request):
    """Where the customer lands after paying (Stripe's success/cancel URLs, or the offline page)."""
    session = CheckoutSession.objects.filter(provider_session_id=request.GET.get("session", "")).first()
    return render(request, "payments/checkout_result.html", {"session": session, "outcome": request.GET.get("status", "")})
