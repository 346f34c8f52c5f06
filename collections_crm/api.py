"""API plumbing shared by every app: cursor pagination and ApplicationError → clean 400."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError


class StableCursorPagination(pagination.CursorPagination):
    """Cursor pagination that honours ?ordering= and always breaks ties on the primary key."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view))
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-id" if ordering and ordering[0].startswith("-") else "id")
        return tuple(ordering)


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError({"detail": exc.message, **exc.extra})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
