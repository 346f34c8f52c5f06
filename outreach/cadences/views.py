"""Supervisor pages: cadences (list, detail with a chart of enrolments by status and messages per step)
and campaigns (list, create, edit, preview the audience, launch, pause)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.choices import Role
from accounts.permissions import RoleRequiredMixin
from collections_crm.errors import ApplicationError

from .campaigns import (
    EDITABLE,
    campaign_audience,
    campaign_create,
    campaign_launch,
    campaign_messaged_count,
    campaign_pause,
    campaign_update,
)
from .choices import DeliveryOutcome, EnrolmentStatus
from .forms import CampaignForm
from .models import CadenceDelivery, CadenceEnrolment, Campaign
from .selectors import cadence_list


def cadence_chart(cadence) -> dict:
    """Chart.js data: enrolments by status, and per step the messages sent, blocked and skipped."""
    by_status = dict(CadenceEnrolment.objects.filter(cadence=cadence).order_by().values_list("status")
                     .annotate(n=Count("id")))
    steps = list(cadence.steps.all())
    per_step = {(s, o): n for s, o, n in CadenceDelivery.objects.filter(step__cadence=cadence).order_by()
                .values_list("step_id", "outcome").annotate(n=Count("id"))}
    return {
        "status": {"labels": [str(label) for _v, label in EnrolmentStatus.choices],
                   "data": [by_status.get(v, 0) for v, _label in EnrolmentStatus.choices]},
        "steps": {
            "labels": [f"{s.order}. {s.get_purpose_display()}" for s in steps],
            "datasets": [{"label": str(label), "data": [per_step.get((s.pk, v), 0) for s in steps]}
                         for v, label in DeliveryOutcome.choices],
        },
    }


class CadenceListView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request):
        return render(request, "outreach/cadence_list.html", {"cadences": cadence_list()})


class CadenceDetailView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request, pk):
        cadence = get_object_or_404(cadence_list(), pk=pk)
        return render(request, "outreach/cadence_detail.html", {"cadence": cadence, "chart": cadence_chart(cadence)})


class CampaignListView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request):
        return render(request, "outreach/campaign_list.html",
                      {"campaigns": Campaign.objects.select_related("creditor", "launched_by")})


def _initial(campaign: Campaign) -> dict:
    return {name: getattr(campaign, name) for name in EDITABLE}


class CampaignFormView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request, pk=None):
        campaign = get_object_or_404(Campaign, pk=pk) if pk else None
        form = CampaignForm(initial=_initial(campaign) if campaign else None)
        return render(request, "outreach/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk=None):
        campaign = get_object_or_404(Campaign, pk=pk) if pk else None
        form = CampaignForm(request.POST)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in EDITABLE}
            fields["buckets"], fields["languages"] = list(fields["buckets"]), list(fields["languages"])
            try:
                if campaign is None:
                    campaign = campaign_create(actor=request.user, **fields)
                else:
                    campaign = campaign_update(campaign=campaign, actor=request.user, **fields)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("outreach:campaign-detail", pk=campaign.pk)
        return render(request, "outreach/campaign_form.html", {"form": form, "campaign": campaign}, status=400)


class CampaignDetailView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign.objects.select_related("creditor", "launched_by"), pk=pk)
        return render(request, "outreach/campaign_detail.html", {
            "campaign": campaign, "audience": campaign_audience(campaign).count(),
            "messaged": campaign_messaged_count(campaign),
        })


class CampaignActionView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR
    actions = {"launch": campaign_launch, "pause": campaign_pause}

    def post(self, request, pk, verb):
        campaign = get_object_or_404(Campaign, pk=pk)
        action = self.actions.get(verb)
        if action is None:
            raise Http404
        try:
            action(campaign=campaign, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Campaign launched.") if verb == "launch" else _("Campaign paused."))
        return redirect("outreach:campaign-detail", pk=pk)
