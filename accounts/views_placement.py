"""Placement pages for supervisors: upload a file, see what happened, download the rejected rows."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from collections_crm.errors import ApplicationError

from .choices import PlacementSource, Role
from .models import PlacementImport
from .permissions import RoleRequiredMixin
from .placement.forms import PlacementUploadForm, too_big_message
from .placement.selectors import placement_error_csv_lines, placement_import_get, placement_import_list
from .placement.services import placement_import


def _max_bytes() -> int:
    return settings.PLACEMENT_UPLOAD_MAX_BYTES


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked below, after the size check
class PlacementUploadView(RoleRequiredMixin, View):
    """Upload a placement CSV for a creditor. Files larger than PLACEMENT_UPLOAD_MAX_BYTES are refused from
    the request's declared length, before the body is read (so a 2 GB upload costs nothing)."""

    required_role = Role.SUPERVISOR
    template_name = "accounts/placement/upload.html"

    def get(self, request):
        return self._page(request, PlacementUploadForm(max_bytes=_max_bytes()))

    def post(self, request):
        if declared_length(request) > _max_bytes() + 64 * 1024:  # room for the form's other parts
            form = PlacementUploadForm(max_bytes=_max_bytes())
            return self._page(request, form, status=413, refusal=too_big_message(_max_bytes()))
        return csrf_protect(self._post)(request)

    def _post(self, request):
        form = PlacementUploadForm(request.POST, request.FILES, max_bytes=_max_bytes())
        if not form.is_valid():
            return self._page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            with upload.open("rb") as stream:
                result = placement_import(
                    creditor=form.cleaned_data["creditor"], stream=stream, actor=request.user,
                    file_name=upload.name, source=PlacementSource.UPLOAD,
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._page(request, form, status=400)
        if result.message and (result.created or result.updated):
            messages.error(request, _("The import stopped part-way: %(reason)s") % {"reason": result.message})
        elif result.message:
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": result.message})
        else:
            messages.success(request, _("Import finished."))
        return redirect("placement-detail", pk=result.pk)

    def _page(self, request, form, status=200, refusal: str = ""):
        recent = placement_import_list()[:5]
        context = {"form": form, "recent": recent, "refusal": refusal}
        return render(request, self.template_name, context, status=status)


class PlacementListView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request):
        page = Paginator(placement_import_list(), 50).get_page(request.GET.get("page"))
        return render(request, "accounts/placement/list.html", {"page": page})


class PlacementDetailView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR
    shown_errors = 100

    def get(self, request, pk: int):
        placement = _get_or_404(pk)
        return render(request, "accounts/placement/detail.html", {
            "placement": placement, "errors": placement.errors[: self.shown_errors],
            "more_errors": max(0, len(placement.errors) - self.shown_errors),
        })


class PlacementErrorsCsvView(RoleRequiredMixin, View):
    required_role = Role.SUPERVISOR

    def get(self, request, pk: int):
        placement = _get_or_404(pk)
        response = StreamingHttpResponse(placement_error_csv_lines(placement), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="placement-{placement.pk}-errors.csv"'
        return response


def _get_or_404(pk: int) -> PlacementImport:
    try:
        return placement_import_get(pk)
    except PlacementImport.DoesNotExist:
        raise Http404(_("No such import.")) from None
