"""One error type for business rules (HackSoft style), mapped to 400s in the API and to form errors."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule said no. ``message`` is plain words for a person; ``extra`` is machine-readable."""

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
