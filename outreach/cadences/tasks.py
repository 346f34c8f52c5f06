"""Celery tasks for cadences: thin, ids in, a service call (style.md).

``outreach.cadences.tick`` runs from beat (collections_crm/settings/schedule.py): the set-wise selection
in SQL, then the leased enrolment ids go out in chunks to ``outreach.cadences.send_batch``, each of which
asks the gate for the whole batch through message_queue_many."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def _batch_size() -> int:
    return int(getattr(settings, "CADENCE_SEND_BATCH", 500))


@shared_task(name="outreach.cadences.tick", acks_late=True, time_limit=600, soft_time_limit=540)
def cadence_tick(at: str | None = None) -> dict:
    """Select due steps set-wise, then enqueue send batches (ids only) after the lease is committed."""
    from collections_crm.history import system_user

    from .services import cadence_tick_select

    when = datetime.fromisoformat(at) if at else timezone.now()
    result = cadence_tick_select(actor=system_user(), at=when)
    ids, size = result.dispatched, _batch_size()
    batches = [ids[i:i + size] for i in range(0, len(ids), size)]

    def enqueue():
        for batch in batches:
            # An explicit tick instant (a test, a back-fill) is passed on; otherwise each send uses its own now.
            cadence_send_batch.delay(batch, at)

    transaction.on_commit(enqueue)
    summary = {**result.as_dict(), "batches": len(batches)}
    logger.info("cadence tick: %s", summary)
    return summary


@shared_task(name="outreach.cadences.send_batch", acks_late=True, max_retries=3, default_retry_delay=30)
def cadence_send_batch(enrolment_ids: list[int], at: str | None = None) -> dict:
    """Send the due step of each leased enrolment through the gate (message_queue). Idempotent: a
    re-delivered batch re-checks each enrolment under a row lock and the message idempotency key per
    (enrolment, step, due moment) makes a second send of the same step impossible."""
    from collections_crm.history import system_user

    from .services import cadence_step_send, cadence_steps_send

    actor = system_user()
    when = datetime.fromisoformat(at) if at else None
    try:
        # The whole batch at once (one gate call, bulk writes) ...
        return dict(Counter(cadence_steps_send(enrolment_ids=enrolment_ids, actor=actor, at=when).values()))
    except Exception:
        # ... and if anything in it fails (all of it was rolled back), one enrolment at a time.
        logger.exception("cadence batch send failed; sending its %s enrolments one by one", len(enrolment_ids))
    outcomes: Counter = Counter()
    for enrolment_id in enrolment_ids:
        try:
            outcomes[cadence_step_send(enrolment_id=enrolment_id, actor=actor, at=when)] += 1
        except Exception:  # one bad enrolment must not hold up the batch; its lease expires and it is retried
            logger.exception("cadence step send failed for enrolment %s", enrolment_id)
            outcomes["error"] += 1
    return dict(outcomes)


@shared_task(name="outreach.campaigns.tick", acks_late=True, time_limit=600, soft_time_limit=540)
def campaign_tick(at: str | None = None) -> dict:
    """For each running campaign inside its window: the audience the gate allows now, not yet messaged,
    in batches of ids to ``campaign_send_batch``. Campaigns whose window closed are marked finished."""
    from collections_crm.history import system_user

    from .campaigns import campaign_candidates, campaigns_due, campaigns_finish

    when = datetime.fromisoformat(at) if at else timezone.now()
    actor = system_user()
    finished = campaigns_finish(at=when, actor=actor)
    size, limit = _batch_size(), int(getattr(settings, "CAMPAIGN_TICK_LIMIT", 50_000))
    plan: list[tuple[int, list[int]]] = []
    for campaign in campaigns_due(at=when):
        ids = campaign_candidates(campaign, at=when, limit=limit)
        plan += [(campaign.pk, ids[i:i + size]) for i in range(0, len(ids), size)]

    def enqueue():
        for campaign_id, batch in plan:
            campaign_send_batch.delay(campaign_id, batch)

    transaction.on_commit(enqueue)
    return {"finished": finished, "batches": len(plan), "accounts": sum(len(b) for _c, b in plan)}


@shared_task(name="outreach.campaigns.send_batch", acks_late=True)
def campaign_send_batch(campaign_id: int, account_ids: list[int]) -> dict:
    """Send one campaign to a batch of accounts through message_queue (idempotent per account)."""
    from collections_crm.history import system_user

    from .campaigns import campaign_send_one

    actor = system_user()
    outcomes: Counter = Counter()
    for account_id in account_ids:
        try:
            outcomes[campaign_send_one(campaign_id=campaign_id, account_id=account_id, actor=actor)] += 1
        except Exception:
            logger.exception("campaign %s send failed for account %s", campaign_id, account_id)
            outcomes["error"] += 1
    return dict(outcomes)


@shared_task(name="outreach.proactive.run", acks_late=True, time_limit=600, soft_time_limit=540)
def proactive_run_task() -> dict:
    """Instalment-due reminders, card-expiry heads-ups and first-miss check-ins."""
    from collections_crm.history import system_user

    from .proactive import proactive_run

    return proactive_run(actor=system_user())
