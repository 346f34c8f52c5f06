"""Choices for the case and the people who work it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Admin")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    VOICE = "voice", _("Phone call")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    PIDGIN = "pcm", _("Nigerian Pidgin")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class AccountStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PLAN = "in_plan", _("In a plan")
    PAID = "paid", _("Paid in full")
    SETTLED = "settled", _("Settled")
    RECALLED = "recalled", _("Recalled by creditor")
    WRITTEN_OFF = "written_off", _("Written off")
    CLOSED = "closed", _("Closed")

    @classmethod
    def closed_states(cls):
        return {cls.PAID, cls.SETTLED, cls.RECALLED, cls.WRITTEN_OFF, cls.CLOSED}


class DelinquencyBucket(models.TextChoices):
    CURRENT = "current", _("Not yet due")
    DPD_1_30 = "1-30", _("1–30 days")
    DPD_31_60 = "31-60", _("31–60 days")
    DPD_61_90 = "61-90", _("61–90 days")
    DPD_91_180 = "91-180", _("91–180 days")
    DPD_181_PLUS = "181+", _("181+ days")

    @classmethod
    def for_days(cls, days_past_due: int) -> "DelinquencyBucket":
        if days_past_due <= 0:
            return cls.CURRENT
        if days_past_due <= 30:
            return cls.DPD_1_30
        if days_past_due <= 60:
            return cls.DPD_31_60
        if days_past_due <= 90:
            return cls.DPD_61_90
        if days_past_due <= 180:
            return cls.DPD_91_180
        return cls.DPD_181_PLUS


class Queue(models.TextChoices):
    AUTOMATED = "automated", _("Automated reminders")
    DISPUTES = "disputes", _("Disputes")
    HIGH_VALUE = "high_value", _("High value")
    VULNERABLE = "vulnerable", _("Extra care")
    CALLBACKS = "callbacks", _("Callback requests")
    BROKEN_PLANS = "broken_plans", _("Broken plans")
    COMPLAINTS = "complaints", _("Complaints and distress")
    GENERAL = "general", _("Agent review")


class RoutingReason(models.TextChoices):
    AUTOMATED = "automated", _("Nothing needs a person")
    DISPUTE = "dispute", _("Open dispute")
    HIGH_VALUE = "high_value", _("Balance at or above the high-value threshold")
    VULNERABILITY = "vulnerability", _("Customer may be vulnerable")
    CALLBACK = "callback", _("Customer asked for a call")
    BROKEN_PLAN = "broken_plan", _("Plan broken twice")
    COMPLAINT = "complaint", _("Complaint or distressed message")
    REQUESTED = "requested", _("Agent or supervisor asked for review")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on customer")
    CLOSED = "closed", _("Closed")


class Skill(models.TextChoices):
    DISPUTES = "disputes", _("Dispute-trained")
    VULNERABILITY = "vulnerability", _("Vulnerability-trained")
    HIGH_VALUE = "high_value", _("High-value accounts")
    COMPLAINTS = "complaints", _("Complaints")


class VulnerabilityFlag(models.TextChoices):
    HEALTH = "health", _("Health")
    LIFE_EVENT = "life_event", _("Life event (bereavement, job loss…)")
    RESILIENCE = "resilience", _("Low financial resilience")
    CAPABILITY = "capability", _("Capability (language, literacy, digital)")


class PlacementSource(models.TextChoices):
    UPLOAD = "upload", _("Upload page")
    COMMAND = "command", _("Command line")
    API = "api", _("API")


class PlacementStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Refused")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Waiting for our call")
    DONE = "done", _("Called back")
    CANCELLED = "cancelled", _("Cancelled")


class CallbackSource(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    INBOUND = "inbound", _("Inbound message")
    AGENT = "agent", _("Agent")
    API = "api", _("API")


# Queues a creditor may switch off: the rule then falls through to the next one. Disputes and extra
# care can never be switched off (12 CFR 1006.38(c); FCA FG21/1).
OPTIONAL_QUEUES = ("high_value", "callbacks", "broken_plans", "complaints", "general")
HUMAN_QUEUES = ("disputes", "vulnerable", "complaints", "callbacks", "broken_plans", "high_value", "general")
