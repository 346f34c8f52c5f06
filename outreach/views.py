"""The template editor: list (agents read), create/edit with a live preview, approve and retire
(supervisors)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.choices import Role
from accounts.models import Creditor
from accounts.permissions import RoleRequiredMixin
from collections_crm.errors import ApplicationError

from .filters import MessageTemplateFilter
from .forms import TemplateCreateForm, TemplateEditForm, TemplateFilterForm
from .models import MessageTemplate
from .rendering import TEMPLATE_VARIABLES
from .selectors import message_template_list, message_template_versions, template_preview
from .services import (
    message_template_approve,
    message_template_create,
    message_template_retire,
    message_template_update,
)


def _form_error(form, error: ApplicationError) -> None:
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


class TemplateListView(RoleRequiredMixin, View):
    required_role = Role.AGENT

    def get(self, request):
        filterset = MessageTemplateFilter(request.GET, queryset=message_template_list())
        page = Paginator(filterset.qs.order_by("purpose", "channel", "language", "-version"), 50).get_page(
            request.GET.get("page")
        )
        return render(request, "outreach/template_list.html", {
            "page": page, "filter_form": TemplateFilterForm(request.GET or None),
            "can_edit": request.user.has_role(Role.SUPERVISOR),
        })


class TemplateDetailView(RoleRequiredMixin, View):
    required_role = Role.AGENT

    def get(self, request, pk):
        template = get_object_or_404(message_template_list(), pk=pk)
        return render(request, "outreach/template_detail.html", {
            "template": template, "versions": message_template_versions(template=template),
            "can_edit": request.user.has_role(Role.SUPERVISOR),
            "preview": template_preview(
                body=template.body, subject=template.subject, channel=template.channel,
                language=template.language, purpose=template.purpose, creditor=template.creditor,
            ),
        })


class _EditorMixin:
    def editor(self, request, form, template=None, status=200):
        return render(request, "outreach/template_form.html", {
            "form": form, "template": template, "variables": TEMPLATE_VARIABLES,
        }, status=status)


class TemplateCreateView(RoleRequiredMixin, _EditorMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request):
        return self.editor(request, TemplateCreateForm())

    def post(self, request):
        form = TemplateCreateForm(request.POST)
        if form.is_valid():
            try:
                template = message_template_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("outreach:template-detail", pk=template.pk)
        return self.editor(request, form, status=400)


class TemplateEditView(RoleRequiredMixin, _EditorMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request, pk):
        template = get_object_or_404(MessageTemplate.objects.select_related("creditor"), pk=pk)
        form = TemplateEditForm(initial={"subject": template.subject, "body": template.body})
        return self.editor(request, form, template)

    def post(self, request, pk):
        template = get_object_or_404(MessageTemplate.objects.select_related("creditor"), pk=pk)
        form = TemplateEditForm(request.POST)
        if form.is_valid():
            try:
                saved = message_template_update(actor=request.user, template=template, **form.cleaned_data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                if saved.pk != template.pk:
                    messages.success(request, _("Saved as a new draft, version %(v)s.") % {"v": saved.version})
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("outreach:template-detail", pk=saved.pk)
        return self.editor(request, form, template, status=400)


class TemplateActionView(RoleRequiredMixin, View):
    """POST-only approve / retire."""

    required_role = Role.SUPERVISOR
    actions = {"approve": message_template_approve, "retire": message_template_retire}

    def post(self, request, pk, verb):
        if verb not in self.actions:
            raise Http404
        template = get_object_or_404(MessageTemplate, pk=pk)
        try:
            self.actions[verb](actor=request.user, template=template)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Approved.") if verb == "approve" else _("Retired."))
        return redirect("outreach:template-detail", pk=pk)


class TemplatePreviewView(RoleRequiredMixin, View):
    """The live preview fragment (htmx), rendered on a sample customer as the supervisor types."""

    required_role = Role.AGENT

    def post(self, request):
        data = request.POST
        template = None
        if data.get("template", "").isdigit():
            template = MessageTemplate.objects.select_related("creditor").filter(pk=data["template"]).first()
        if template is not None:
            creditor, channel, language, purpose = (
                template.creditor, template.channel, template.language, template.purpose
            )
        else:
            creditor = Creditor.objects.filter(slug=data.get("creditor") or "").first()
            channel, language, purpose = data.get("channel", "sms"), data.get("language", "en"), data.get("purpose", "")
        preview = template_preview(
            body=data.get("body", "")[:5000], subject=data.get("subject", "")[:200], channel=channel,
            language=language, purpose=purpose, creditor=creditor,
        )
        return render(request, "outreach/partials/_preview.html", {"preview": preview, "channel": channel})
