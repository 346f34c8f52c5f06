"""Cadences: who gets which friendly reminder, when, on which channel — and when automation stops.

Split from the rest of ``outreach`` by subdomain (style.md): models, pure rules, set-wise selectors,
services and the Celery tick live here; the message pipeline (``outreach.services.message_queue``) is
the only way a cadence step reaches a customer, so the contact gate decides every send."""
