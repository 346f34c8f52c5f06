"""Compliance models, one module per subdomain."""

from .audit import AuditEvent  # noqa: F401
