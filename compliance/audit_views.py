"""Supervisor audit pages (/audit/): the filterable event list with a chart and CSV export, per-object
history timelines with field-by-field diffs, the account page and the evidence-pack download. Agents get
403; a refused export is itself recorded (``export.denied``)."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.choices import Role
from accounts.models import Account
from accounts.permissions import RoleRequiredMixin

from .audit import audit_record
from .audit_selectors import (
    account_history,
    audit_event_list,
    audit_events_for_account,
    audit_events_for_object,
    audit_events_per_day,
    history_model_for,
    history_models,
    object_history,
)
from .evidence_pack import evidence_pack_build, evidence_pack_filename
from .filters import AuditEventFilter

CSV_COLUMNS = ["seq", "at", "action", "actor", "object_type", "object_id", "creditor_id", "account_id",
               "customer_id", "payload", "hash"]


def _query_params(request) -> dict:
    return {k: v for k, v in request.GET.items() if v and k != "page"}


class AuditEventListView(RoleRequiredMixin, ListView):
    """The audit log, newest first, filterable; with a per-day chart of what the filter matches."""

    required_role = Role.SUPERVISOR
    template_name = "compliance/audit/event_list.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        self.filterset = AuditEventFilter(self.request.GET or None, queryset=audit_event_list())
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else audit_event_list()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["chart"] = audit_events_per_day(self.object_list)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["querystring"] = params.urlencode()
        ctx["history_models"] = [m._meta.label_lower for m in history_models()]
        return ctx


class _Echo:
    def write(self, value):
        return value


class ExportRoleMixin(RoleRequiredMixin):
    """Exports are for supervisors; a signed-in user without the role is refused AND the attempt is
    recorded in the audit chain (``export.denied``), with nothing exported."""

    required_role = Role.SUPERVISOR
    export_name = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_role(self.required_role):
            audit_record(
                actor=user,
                action="export.denied",
                payload={"export": self.export_name, "reason": "role", **{k: str(v) for k, v in kwargs.items()}},
            )
            raise PermissionDenied(_("Only supervisors can export audit data."))
        return super().dispatch(request, *args, **kwargs)


class AuditEventCSVView(ExportRoleMixin, View):
    """The filtered audit list as CSV, streamed so a large export never sits in memory."""

    export_name = "audit_csv"

    def get(self, request):
        filterset = AuditEventFilter(request.GET or None, queryset=audit_event_list())
        if filterset.is_bound and not filterset.is_valid():
            audit_record(actor=request.user, action="export.denied",
                         payload={"export": self.export_name, "reason": "invalid_filter"})
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(_("The filter is not valid: %(errors)s") % {"errors": filterset.errors.as_text()})
        queryset = filterset.qs if filterset.is_bound else audit_event_list()
        audit_record(actor=request.user, action="export.audit_csv", payload={"filters": _query_params(request)})
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(CSV_COLUMNS)
            for e in queryset.iterator(chunk_size=2000):
                yield writer.writerow([
                    e.seq, e.at.isoformat(), e.action, e.actor_username, e.object_type, e.object_id,
                    e.creditor_id or "", e.account_id or "", e.customer_id or "",
                    _csv_cell(e.payload), e.hash,
                ])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate().isoformat()}.csv"'
        return response


def _csv_cell(payload) -> str:
    from .audit import canonical

    text = canonical(payload)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class HistoryPickView(RoleRequiredMixin, TemplateView):
    """Choose a model and an object id; redirect to its timeline."""

    required_role = Role.SUPERVISOR
    template_name = "compliance/audit/history_pick.html"

    def get(self, request, *args, **kwargs):
        label = request.GET.get("model", "").strip()
        pk = request.GET.get("pk", "").strip()
        error = ""
        if label or pk:
            app_label, _dot, model_name = label.partition(".")
            if not (app_label and model_name and pk):
                error = _("Choose a model and give an object id.")
            else:
                try:
                    history_model_for(app_label, model_name)
                except Http404:
                    error = _("That model keeps no history.")
                else:
                    return HttpResponseRedirect(
                        reverse("audit:object-history", args=[app_label, model_name, pk])
                    )
        ctx = self.get_context_data(error=error, models=[m._meta.label_lower for m in history_models()],
                                    chosen=label, pk=pk)
        return self.render_to_response(ctx, status=400 if error else 200)


class ObjectHistoryView(RoleRequiredMixin, TemplateView):
    """A timeline of one object's history records, field by field, plus the audit events about it."""

    required_role = Role.SUPERVISOR
    template_name = "compliance/audit/object_history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        model = history_model_for(kwargs["app_label"], kwargs["model_name"])
        pk = kwargs["pk"]
        try:
            model._meta.pk.to_python(pk)
        except Exception as exc:  # noqa: BLE001 — a malformed id is a 404, not a 500
            raise Http404("No such object.") from exc
        entries = object_history(model, pk)
        events = list(audit_events_for_object(model, pk))
        if not entries and not events:
            raise Http404(_("Nothing is recorded for this object."))
        ctx.update(
            model_label=model._meta.label_lower,
            model_name=model._meta.verbose_name,
            pk=pk,
            current=model._default_manager.filter(pk=pk).first(),
            entries=list(reversed(entries)),
            events=list(reversed(events)),
        )
        return ctx


class AccountAuditView(RoleRequiredMixin, TemplateView):
    """One account's story: account, customer and case history and the audit events, one timeline."""

    required_role = Role.SUPERVISOR
    template_name = "compliance/audit/account.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        account = get_object_or_404(Account.objects.select_related("creditor", "customer"), pk=kwargs["pk"])
        timeline = [{"kind": "history", "at": e.at, "entry": e} for e in account_history(account)]
        timeline += [{"kind": "event", "at": ev.at, "event": ev} for ev in audit_events_for_account(account)]
        timeline.sort(key=lambda item: item["at"], reverse=True)
        ctx.update(account=account, customer=account.customer, timeline=timeline)
        return ctx


class EvidencePackDownloadView(ExportRoleMixin, View):
    """One ZIP with everything about one account (also the answer to a data-subject access request)."""

    export_name = "evidence_pack"

    def get(self, request, pk):
        account = Account.objects.filter(pk=pk).select_related("creditor", "customer").first()
        if account is None:
            audit_record(actor=request.user, action="export.denied",
                         payload={"export": self.export_name, "reason": "not_found", "pk": str(pk)})
            raise Http404(_("No such account."))
        data = evidence_pack_build(account=account, actor=request.user)
        return evidence_pack_response(data, evidence_pack_filename(account))


def evidence_pack_response(data: bytes, filename: str) -> FileResponse:
    import io

    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type="application/zip")
