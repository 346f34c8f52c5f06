"""Routing rules, pure: given the facts about a case, which queue does it belong in, why, how urgent,
and by when must a person look at it. No database here; ``accounts.services_routing`` gathers the facts
and applies the decision with history.

Order matters: the first rule that matches wins, so the most protective reason is recorded — an open
dispute pauses collection (12 CFR 1006.38(c)), and a customer who may be vulnerable needs a trained
person before anything else (FCA FG21/1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .choices import Queue, RoutingReason


@dataclass(frozen=True)
class RoutingFacts:
    """Everything routing depends on. When any of these changes, the case is routed again."""

    balance: Decimal
    high_value_threshold: Decimal
    open_dispute: bool = False
    vulnerable: bool = False
    complaint: bool = False
    callback_requested: bool = False
    broken_plans: int = 0
    review_requested: bool = False
    closed: bool = False


@dataclass(frozen=True)
class QueuePolicy:
    """Per creditor: how fast each human queue must be picked up, and the broken-plan limit."""

    sla_hours: dict[str, int] = field(
        default_factory=lambda: {
            Queue.DISPUTES: 48,
            Queue.VULNERABLE: 24,
            Queue.COMPLAINTS: 24,
            Queue.CALLBACKS: 4,
            Queue.BROKEN_PLANS: 72,
            Queue.HIGH_VALUE: 72,
            Queue.GENERAL: 72,
        }
    )
    broken_plan_limit: int = 2


@dataclass(frozen=True)
class RoutingDecision:
    queue: str
    reason: str
    priority: int
    note: str = ""

    @property
    def needs_person(self) -> bool:
        return self.queue != Queue.AUTOMATED

    def sla_due(self, now: datetime, policy: QueuePolicy) -> datetime | None:
        hours = policy.sla_hours.get(self.queue)
        return now + timedelta(hours=hours) if hours and self.needs_person else None


def route(facts: RoutingFacts, policy: QueuePolicy | None = None) -> RoutingDecision:
    """The queue, reason and priority (1 most urgent) for a case with these facts."""
    policy = policy or QueuePolicy()
    if facts.open_dispute:
        return RoutingDecision(Queue.DISPUTES, RoutingReason.DISPUTE, 1, "Collection paused until the dispute is resolved.")
    if facts.vulnerable:
        return RoutingDecision(Queue.VULNERABLE, RoutingReason.VULNERABILITY, 1, "Talk first; offer support options.")
    if facts.complaint:
        return RoutingDecision(Queue.COMPLAINTS, RoutingReason.COMPLAINT, 2, "The customer sounded upset or complained.")
    if facts.callback_requested:
        return RoutingDecision(Queue.CALLBACKS, RoutingReason.CALLBACK, 2, "The customer asked us to call.")
    if facts.broken_plans >= policy.broken_plan_limit:
        return RoutingDecision(
            Queue.BROKEN_PLANS, RoutingReason.BROKEN_PLAN, 3, f"{facts.broken_plans} plans did not work out."
        )
    if facts.balance >= facts.high_value_threshold > 0:
        return RoutingDecision(Queue.HIGH_VALUE, RoutingReason.HIGH_VALUE, 3, "Balance at or above the threshold.")
    if facts.review_requested:
        return RoutingDecision(Queue.GENERAL, RoutingReason.REQUESTED, 3, "A colleague asked for a review.")
    return RoutingDecision(Queue.AUTOMATED, RoutingReason.AUTOMATED, 5)
