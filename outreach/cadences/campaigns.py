"""Seasonal campaigns: create, preview the audience, launch, pause; the tick picks the audience set-wise
and sends through message_queue, so the gate (consent, hours, caps, holds) decides every message.

Each account gets a campaign at most once: the message idempotency key is ``campaign:<id>:<account>``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.choices import AccountStatus, Channel, Queue
from accounts.models import Account
from collections_crm.errors import ApplicationError
from collections_crm.history import save_tracked
from compliance.audit import audit_record

from .choices import CampaignStatus, StepChannel
from .models import Campaign

EDITABLE = ("name", "description", "creditor", "buckets", "balance_min", "balance_max", "languages", "channel",
            "purpose", "consent_required", "starts_at", "ends_at")


def _granted(channel: str):
    """Customers whose latest consent record for ``channel`` is a grant."""
    from compliance.models import ConsentRecord

    records = ConsentRecord.objects.filter(channel=channel)
    newer = records.filter(customer_id=OuterRef("customer_id")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    return records.exclude(Exists(newer)).filter(status="granted").values("customer_id")


def campaign_audience(campaign: Campaign) -> QuerySet[Account]:
    """The accounts the campaign is for (set-wise): its filter, open accounts in the automated queue, and —
    when consent is required — customers who said yes on the channel the message would use."""
    qs = Account.objects.exclude(status__in=AccountStatus.closed_states()).filter(case__queue=Queue.AUTOMATED)
    if campaign.creditor_id:
        qs = qs.filter(creditor_id=campaign.creditor_id)
    if campaign.buckets:
        qs = qs.filter(delinquency_bucket__in=campaign.buckets)
    if campaign.balance_min is not None:
        qs = qs.filter(balance__gte=campaign.balance_min)
    if campaign.balance_max is not None:
        qs = qs.filter(balance__lte=campaign.balance_max)
    if campaign.languages:
        qs = qs.filter(customer__language__in=campaign.languages)
    if campaign.channel != StepChannel.PREFERRED:
        on_channel = {campaign.channel}
        qs = qs.filter(customer__preferred_channel__isnull=False)
    else:
        on_channel = set(Channel.values)
    if campaign.consent_required:
        consented = Q(pk__in=[])
        for channel in on_channel:
            if campaign.channel == StepChannel.PREFERRED:
                consented |= Q(customer__preferred_channel=channel, customer_id__in=_granted(channel))
            else:
                consented |= Q(customer_id__in=_granted(channel))
        qs = qs.filter(consented)
    return qs


def campaign_not_yet_messaged(campaign: Campaign, qs: QuerySet[Account]) -> QuerySet[Account]:
    from outreach.models import Message

    key = Concat(Value(campaign.idempotency_prefix), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return qs.exclude(Exists(Message.objects.filter(idempotency_key=key)))


def campaign_messaged_count(campaign: Campaign) -> int:
    from outreach.models import Message

    return Message.objects.filter(idempotency_key__startswith=campaign.idempotency_prefix).exclude(
        status="blocked").count()


@transaction.atomic
def campaign_create(*, actor, **fields) -> Campaign:
    """A new draft campaign."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ApplicationError(f"Unknown campaign fields: {', '.join(sorted(unknown))}.")
    campaign = save_tracked(Campaign(created_by=actor, status=CampaignStatus.DRAFT, **fields), actor=actor,
                            reason="Campaign created")
    audit_record(actor=actor, action="campaign.created", obj=campaign, creditor=campaign.creditor,
                 payload={"purpose": campaign.purpose, "channel": campaign.channel})
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, **fields) -> Campaign:
    """Edit a campaign that is not running (pause it first)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status in (CampaignStatus.RUNNING, CampaignStatus.FINISHED):
        raise ApplicationError("Pause the campaign before changing it.", {"code": "campaign_running"})
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ApplicationError(f"Unknown campaign field: {name}.")
        setattr(campaign, name, value)
    save_tracked(campaign, actor=actor, reason="Campaign edited")
    audit_record(actor=actor, action="campaign.updated", obj=campaign, creditor=campaign.creditor,
                 payload={"fields": sorted(fields)})
    return campaign


def _transition(campaign: Campaign, *, to: str, allowed_from: tuple, actor, message: str) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == to:
        return campaign  # a double click changes nothing
    if campaign.status not in allowed_from:
        raise ApplicationError(message, {"code": "campaign_status", "status": campaign.status})
    campaign.status = to
    return campaign


@transaction.atomic
def campaign_launch(*, campaign: Campaign, actor, at: datetime | None = None) -> Campaign:
    """Start (or resume) sending. Messages go out from the campaign tick, inside the date window only."""
    at = at or timezone.now()
    campaign = _transition(campaign, to=CampaignStatus.RUNNING, allowed_from=(CampaignStatus.DRAFT, CampaignStatus.PAUSED),
                           actor=actor, message="Only a draft or paused campaign can be launched.")
    if campaign.status != CampaignStatus.RUNNING:
        return campaign
    if campaign.ends_at <= at:
        raise ApplicationError("This campaign's window is over; change its dates first.", {"code": "campaign_over"})
    campaign.status = CampaignStatus.RUNNING
    if campaign.launched_at is None:
        campaign.launched_by, campaign.launched_at = actor, at
    save_tracked(campaign, actor=actor, reason="Campaign launched")
    audit_record(actor=actor, action="campaign.launched", obj=campaign, creditor=campaign.creditor,
                 payload={"audience": campaign_audience(campaign).count()})
    return campaign


@transaction.atomic
def campaign_pause(*, campaign: Campaign, actor) -> Campaign:
    """Stop sending; messages already queued still go (they passed the gate)."""
    campaign = _transition(campaign, to=CampaignStatus.PAUSED, allowed_from=(CampaignStatus.RUNNING,), actor=actor,
                           message="Only a running campaign can be paused.")
    save_tracked(campaign, actor=actor, reason="Campaign paused")
    audit_record(actor=actor, action="campaign.paused", obj=campaign, creditor=campaign.creditor)
    return campaign


def campaigns_due(*, at: datetime) -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=CampaignStatus.RUNNING, starts_at__lte=at, ends_at__gt=at)


def campaigns_finish(*, at: datetime, actor) -> int:
    """Running campaigns whose window has closed are marked finished."""
    done = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.RUNNING, ends_at__lte=at):
        with transaction.atomic():
            campaign.status = CampaignStatus.FINISHED
            save_tracked(campaign, actor=actor, reason="Campaign window closed")
            audit_record(actor=actor, action="campaign.finished", obj=campaign, creditor=campaign.creditor)
            done += 1
    return done


def campaign_candidates(campaign: Campaign, *, at: datetime, limit: int | None = None) -> list[int]:
    """Account ids to message now: the audience, not yet messaged, that the gate's set-wise form allows on
    the campaign's channel at ``at`` (purpose campaign: consent is required by the gate too)."""
    from compliance.selectors import contactable_accounts

    audience = campaign_not_yet_messaged(campaign, campaign_audience(campaign))
    allowed = Q(pk__in=[])
    channels = Channel.values if campaign.channel == StepChannel.PREFERRED else [campaign.channel]
    for channel in channels:
        part = audience.filter(customer__preferred_channel=channel) if campaign.channel == StepChannel.PREFERRED else audience
        ok = contactable_accounts(queryset=Account.objects.filter(pk__in=part.values("pk")), channel=channel, at=at,
                                  purpose="campaign").values("pk")
        cond = Q(pk__in=ok)
        if campaign.channel == StepChannel.PREFERRED:
            cond &= Q(customer__preferred_channel=channel)
        allowed |= cond
    ids = audience.filter(allowed).order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit else ids)


def campaign_send_one(*, campaign_id: int, account_id: int, actor, at: datetime | None = None) -> str:
    """Send the campaign's message to one account through message_queue (the gate decides)."""
    from outreach.services import message_queue

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    at = at or timezone.now()
    if campaign is None or campaign.status != CampaignStatus.RUNNING or not (campaign.starts_at <= at < campaign.ends_at):
        return "not_running"
    account = Account.objects.select_related("customer").filter(pk=account_id).first()
    if account is None:
        return "missing"
    try:
        message = message_queue(
            customer=account.customer, account=account, channel=campaign.channel, purpose=campaign.purpose,
            actor=actor, source="campaign", idempotency_key=f"{campaign.idempotency_prefix}{account.pk}", at=at,
        )
    except ApplicationError:
        return "skipped"
    return message.status
