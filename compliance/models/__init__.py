"""Compliance models, one module per subdomain."""

from .audit import AuditEvent  # noqa: F401
from .contact import ConsentRecord, ContactAttempt, ContactPreference, GateDecision  # noqa: F401
from .disputes import Dispute, DisputeEvidence  # noqa: F401
from .holds import Hold  # noqa: F401
from .rules import CreditorContactPolicy  # noqa: F401
