"""The default cadences shipped with the product: friendly, spaced out, using the library's purposes.
Loaded by a data migration (historical models) and by ``cadence_defaults_load`` (services)."""

from __future__ import annotations

# Each step: (anchor, offset_days, channel, purpose, require_no_payment, require_no_reply, require_not_in_plan)
DEFAULT_CADENCES = [
    {
        "slug": "friendly-reminders",
        "name": "Friendly reminders",
        "description": "A kind hello on placement, a reminder a few days later, then a plan offer. "
                       "Stops as soon as the customer pays, replies, agrees a plan or asks us to stop.",
        "priority": 0,
        "buckets": [],
        "steps": [
            ("placement", 0, "preferred", "friendly_reminder", False, False, True),
            ("last_contact", 5, "preferred", "friendly_reminder", True, True, True),
            ("last_contact", 7, "email", "plan_offer", True, True, True),
            ("last_contact", 14, "preferred", "friendly_reminder", True, True, True),
        ],
    },
    {
        "slug": "not-yet-due",
        "name": "Not yet due: a gentle nudge",
        "description": "For accounts not yet overdue: a nudge three days before the due date, a reminder "
                       "three days after if nothing came in, then a plan offer.",
        "priority": 10,
        "buckets": ["current"],
        "steps": [
            ("due_date", -3, "preferred", "pre_due_nudge", False, False, True),
            ("due_date", 3, "preferred", "friendly_reminder", True, False, True),
            ("last_contact", 7, "email", "plan_offer", True, True, True),
        ],
    },
    {
        "slug": "long-overdue-plan-first",
        "name": "Long overdue: plan first",
        "description": "For accounts more than 90 days overdue: lead with a plan the customer can shape, "
                       "not a demand.",
        "priority": 5,
        "buckets": ["91-180", "181+"],
        "steps": [
            ("placement", 0, "preferred", "plan_offer", False, False, True),
            ("last_contact", 10, "email", "plan_offer", True, True, True),
            ("last_contact", 14, "preferred", "friendly_reminder", True, True, True),
        ],
    },
]

STEP_FIELDS = ("anchor", "offset_days", "channel", "purpose", "require_no_payment", "require_no_reply",
               "require_not_in_plan")
