"""Choices for consent, holds, disputes and the contact gate. Other apps code against these names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GateReason(models.TextChoices):
    """Machine-readable reasons the contact gate gives. ``allowed`` is the only non-blocking one."""

    ALLOWED = "allowed", _("Allowed")
    OUTSIDE_WINDOW = "outside_window", _("Outside lawful contact hours")
    QUIET_DAY = "quiet_day", _("Quiet day or public holiday")
    CUSTOMER_HOURS = "customer_hours", _("Outside the customer's chosen hours or days")
    AT_WORK = "at_work", _("Customer asked not to be contacted at work")
    FREQUENCY_CAP = "frequency_cap", _("Contact limit reached")
    CONVERSATION_COOLDOWN = "conversation_cooldown", _("Too soon after a conversation")
    NO_CONSENT = "no_consent", _("No consent for this channel")
    OPTED_OUT = "opted_out", _("Customer opted out of this channel")
    CONFIRMATION_NOT_DUE = "confirmation_not_due", _("No opt-out confirmation is due")
    NO_CONTACT_POINT = "no_contact_point", _("No address or number for this channel")
    ACCOUNT_CLOSED = "account_closed", _("Account is closed")
    NO_COMMON_WINDOW = "no_common_window", _("No hour is lawful in every zone the customer may be in")
    HOLD_DISPUTE = "hold:dispute", _("On hold: dispute")
    HOLD_CEASE = "hold:cease_communication", _("On hold: cease communication")
    HOLD_ATTORNEY = "hold:attorney", _("On hold: represented by an attorney")
    HOLD_BANKRUPTCY = "hold:bankruptcy", _("On hold: bankruptcy")
    HOLD_DECEASED = "hold:deceased", _("On hold: deceased")
    HOLD_HARDSHIP = "hold:hardship_pause", _("On hold: hardship pause")


class Purpose(models.TextChoices):
    COLLECTION = "collection", _("Collection")
    TRANSACTIONAL = "transactional", _("Transactional (receipt, plan confirmation, dispute acknowledgement)")
    OPT_OUT_CONFIRMATION = "opt_out_confirmation", _("Opt-out confirmation")
    CAMPAIGN = "campaign", _("Campaign")


class ConsentSource(models.TextChoices):
    IMPORT = "import", _("Placement import")
    PORTAL = "portal", _("Customer portal")
    AGENT = "agent", _("Agent")
    INBOUND_KEYWORD = "inbound_keyword", _("Inbound keyword")
    EMAIL_LINK = "email_link", _("Email opt-out link")


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REVOKED = "revoked", _("Revoked")


class HoldKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    CEASE_COMMUNICATION = "cease_communication", _("Cease communication")
    ATTORNEY = "attorney", _("Attorney-represented")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    DECEASED = "deceased", _("Deceased")
    HARDSHIP_PAUSE = "hardship_pause", _("Hardship pause")


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LIFTED = "lifted", _("Lifted")
    EXPIRED = "expired", _("Expired")


class DisputeReason(models.TextChoices):
    NOT_MINE = "not_mine", _("Not my debt")
    WRONG_AMOUNT = "wrong_amount", _("The amount is wrong")
    ALREADY_PAID = "already_paid", _("Already paid")
    IDENTITY_THEFT = "identity_theft", _("Identity theft")
    QUALITY = "quality", _("Quality of goods or service")
    OTHER = "other", _("Other")


class DisputeSource(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    INBOUND = "inbound", _("Inbound message")
    AGENT = "agent", _("Agent")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VERIFYING = "verifying", _("Being verified")
    UPHELD = "upheld", _("Resolved for the customer")
    VERIFIED = "verified", _("Debt verified; collection may resume")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def resolved_states(cls):
        return {cls.UPHELD, cls.VERIFIED, cls.WITHDRAWN}


class AttemptStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (not connected)")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def counted(cls):
        """Attempts that count towards caps: a busy signal or a message that never left does not
        (cmt 14(b)(3)(ii)-1; 12 CFR 1006.14(b)(3))."""
        return (cls.RESERVED, cls.SENT)
