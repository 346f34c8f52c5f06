"""The agent desk (/desk/) and the supervisor's team page (/desk/team/). Views validate, call one service
or selector, and render; errors from services become plain messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.choices import Role
from accounts.models import Case, Creditor, User
from accounts.permissions import RoleRequiredMixin
from accounts.services_assignment import (
    agents_with_load,
    case_take_next,
)
from accounts.services_routing import routing_policy_for, routing_policy_set
from collections_crm.errors import ApplicationError
from compliance.choices import DisputeStatus, HoldStatus
from compliance.models import Dispute

from . import services
from .actions import case_action_run
from .conversation import guide_for
from .forms import ACTION_FORMS, ApprovalDecisionForm, QueueFilterForm, RoutingPolicyForm
from .models import ApprovalRequest
from .selectors import (
    approvals_pending,
    breached_cases,
    case_for_desk,
    case_story,
    contact_now,
    queue_rows,
    queue_stats,
)

PAGE_SIZE = 25


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


class QueueView(RoleRequiredMixin, View):
    """My queue (or a human queue): filter, sort, htmx refresh, keyboard shortcuts (j/k/Enter/n)."""

    required_role = Role.AGENT

    def get(self, request):
        form = QueueFilterForm(request.GET or None)
        params = form.cleaned_data if form.is_valid() else {}
        scope = params.get("scope") or "mine"
        cases = queue_rows(user=request.user, scope=scope, queue=params.get("queue") or "",
                           status=params.get("status") or "open", q=params.get("q") or "",
                           sort=params.get("sort") or "urgent")
        page = Paginator(cases, PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
        ctx = {"page": page, "form": form, "scope": scope, "now": timezone.now(),
               "querystring": request.GET.urlencode()}
        if _is_htmx(request):
            return render(request, "desk/partials/_queue_rows.html", ctx)
        return render(request, "desk/queue.html", ctx)


class NextCaseView(RoleRequiredMixin, View):
    required_role = Role.AGENT

    def post(self, request):
        try:
            case = case_take_next(agent=request.user, queue=request.POST.get("queue") or None)
        except ApplicationError as exc:
            messages.info(request, exc.message)
            return redirect("desk:queue")
        messages.success(request, _("Case %(pk)s is yours now.") % {"pk": case.pk})
        return redirect("desk:case", pk=case.pk)


def _action_form(case: Case, name: str, *, version: int | None = None, data=None):
    """One action form for this case (unbound: ``version`` is the one the page was rendered with)."""
    form_class = ACTION_FORMS[name]
    kwargs = {"case": case}
    if name == "dispute-resolve":
        kwargs["disputes"] = Dispute.objects.filter(account_id=case.account_id, status__in=[
            DisputeStatus.OPEN, DisputeStatus.VERIFYING])
    if name == "vulnerability" and data is None:
        customer = case.account.customer
        kwargs["initial"] = {"flags": customer.vulnerability_flags, "note": customer.vulnerability_note}
    form = form_class(data, **kwargs) if data is not None else form_class(**kwargs)
    if data is None and version is not None:
        form.initial["version"] = version
    return form


def _case_context(request, case: Case, bound: dict | None = None) -> dict:
    from compliance.selectors import gate_context_for
    from payments.services.plans import plan_options

    account, customer = case.account, case.account.customer
    forms = {}
    if bound:
        forms[bound["name"].replace("-", "_")] = bound["form"]
    try:
        options = plan_options(account=account, with_terms=False) if not account.is_closed else []
    except ApplicationError:
        options = []
    timeline, rows = case_story(case)
    now = timezone.now()
    gate_context = gate_context_for(customer=customer, account=account, at=now)
    return {
        "case": case, "account": account, "customer": customer, "bound": forms,
        "is_mine": case.assignee_id == request.user.pk,
        "is_supervisor": request.user.has_role(Role.SUPERVISOR),
        "channels": contact_now(case, now, context=gate_context),
        "consents": sorted(gate_context.consents.items()),
        "timeline": timeline,
        "plans": rows["plans"][:5],
        "promises": rows["promises"][:5],
        "holds": [h for h in rows["holds"] if h.status == HoldStatus.ACTIVE],
        "open_disputes": [d for d in rows["disputes"] if d.status in (DisputeStatus.OPEN, DisputeStatus.VERIFYING)],
        "guide": guide_for(case.routing_reason),
        "plan_options": options,
        "callbacks": [c for c in rows["callbacks"] if c.status == "open"][:3],
        "audit_url": reverse("audit:account", args=[account.pk]),
    }


class CaseView(RoleRequiredMixin, View):
    """Everything about one case on one screen, and every action."""

    required_role = Role.AGENT

    def get(self, request, pk):
        try:
            case = case_for_desk(pk)
        except Case.DoesNotExist:
            raise Http404 from None
        return render(request, "desk/case.html", _case_context(request, case))


class CaseFormView(RoleRequiredMixin, View):
    """One action form, loaded when the agent opens it (htmx): the case page stays light. The form carries
    the version the page showed (``?v=``), so acting on what you saw is checked against what is now."""

    required_role = Role.AGENT

    def get(self, request, pk, name):
        if name not in ACTION_FORMS:
            raise Http404
        case = get_object_or_404(Case.objects.select_related("account__customer"), pk=pk)
        try:
            version = int(request.GET.get("v", case.version))
        except ValueError:
            version = case.version
        return render(request, "desk/partials/_action_form.html",
                      {"form": _action_form(case, name, version=version)})


class CaseActionView(RoleRequiredMixin, View):
    """POST one action form. On a business-rule refusal (stale form, closed case, gate, policy) the page is
    shown again with the reason; nothing is half-done."""

    required_role = Role.AGENT

    def get(self, request, pk, name):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk, name):
        form_class = ACTION_FORMS.get(name)
        if form_class is None:
            raise Http404
        if name == "assign" and not request.user.has_role(Role.SUPERVISOR):
            messages.error(request, _("Only a supervisor can assign cases."))
            return redirect("desk:case", pk=pk)
        case = get_object_or_404(Case, pk=pk)
        form = _action_form(case, name, data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Please check the form below."))
            case = case_for_desk(pk)
            return render(request, "desk/case.html", _case_context(request, case, {"name": name, "form": form}),
                          status=400)
        try:
            _result, level, text = case_action_run(name=name, case=case, actor=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("desk:case", pk=pk)
        getattr(messages, level)(request, text)
        if name in ("close", "release") or (name == "promise"):
            return redirect(reverse("desk:queue"))
        return redirect("desk:case", pk=pk)


# ---- supervisors ---------------------------------------------------------------------------------------


class TeamView(RoleRequiredMixin, View):
    """Queue sizes and SLA breaches (chart), agent workload, the approvals inbox, breached cases to
    reassign, and each creditor's routing policy."""

    required_role = Role.SUPERVISOR

    def get(self, request):
        stats = queue_stats()
        return render(request, "desk/team.html", {
            "stats": stats,
            "chart": {"labels": [s.label for s in stats], "open": [s.open for s in stats],
                      "waiting": [s.waiting for s in stats], "breached": [s.breached for s in stats]},
            "agents": agents_with_load(),
            "approvals": approvals_pending(),
            "breached": list(breached_cases()),
            "creditors": Creditor.objects.filter(is_active=True).order_by("display_name"),
            "decision_form": ApprovalDecisionForm(),
            "agent_choices": User.objects.filter(agent_profile__isnull=False, is_active=True).order_by("username"),
        })


class ApprovalDecideView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def post(self, request, kind, pk):
        from payments.models import InstalmentPlan, Settlement
        from payments.services import plan_approve, plan_cancel, settlement_approve, settlement_cancel

        approve = request.POST.get("decision") == "approve"
        note = request.POST.get("note", "")[:1000]
        try:
            if kind == "request":
                services.approval_decide(request=get_object_or_404(ApprovalRequest, pk=pk), actor=request.user,
                                         approve=approve, note=note)
            elif kind == "plan":
                plan = get_object_or_404(InstalmentPlan, pk=pk)
                (plan_approve(actor=request.user, plan=plan) if approve
                 else plan_cancel(actor=request.user, plan=plan, reason=note or "Declined by a supervisor"))
            elif kind == "settlement":
                settlement = get_object_or_404(Settlement, pk=pk)
                (settlement_approve(actor=request.user, settlement=settlement) if approve
                 else settlement_cancel(actor=request.user, settlement=settlement))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Approved.") if approve else _("Declined."))
        return redirect(reverse("desk:team") + "#approvals")


class RoutingPolicyView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def _render(self, request, creditor, form, status=200):
        return render(request, "desk/routing_policy.html", {"creditor": creditor, "form": form}, status=status)

    def get(self, request, slug):
        creditor = get_object_or_404(Creditor, slug=slug)
        return self._render(request, creditor, RoutingPolicyForm(instance=routing_policy_for(creditor)))

    def post(self, request, slug):
        from django.core.exceptions import ValidationError

        creditor = get_object_or_404(Creditor, slug=slug)
        form = RoutingPolicyForm(request.POST, instance=routing_policy_for(creditor))
        if not form.is_valid():
            return self._render(request, creditor, form, status=400)
        try:
            routing_policy_set(creditor=creditor, actor=request.user,
                               high_value_threshold=form.cleaned_data["high_value_threshold"],
                               sla_hours=form.sla_hours(), broken_plan_limit=form.cleaned_data["broken_plan_limit"],
                               disabled_queues=form.cleaned_data["disabled_queues"])
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or "; ".join(exc.messages))
            return self._render(request, creditor, form, status=400)
        messages.success(request, _("Routing policy saved; affected cases were routed again."))
        return redirect("desk:team")
