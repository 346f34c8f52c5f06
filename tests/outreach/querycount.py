"""Counting outreach's own queries apart from the compliance batch calls it makes (those are
compliance's to bound: tests/compliance)."""

from collections import Counter
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import services as compliance

BATCH_CALLS = ("contact_reserve_many", "contact_send_guard_many", "contact_attempt_complete_many")


@contextmanager
def outreach_queries():
    """Yields a dict filled on exit: ``own`` (queries outside the compliance batch calls), ``calls``
    (how often each of those was called), ``total`` and ``sql``."""
    calls: Counter = Counter()
    inside = [0]
    originals = {name: getattr(compliance, name) for name in BATCH_CALLS}
    for name, real in originals.items():

        def wrapper(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            with CaptureQueriesContext(connection) as queries:
                result = _real(*args, **kwargs)
            inside[0] += len(queries.captured_queries)
            return result

        setattr(compliance, name, wrapper)
    result: dict = {"calls": calls}
    try:
        with CaptureQueriesContext(connection) as everything:
            yield result
    finally:
        for name, real in originals.items():
            setattr(compliance, name, real)
    result["total"] = len(everything.captured_queries)
    result["own"] = result["total"] - inside[0]
    result["sql"] = [q["sql"] for q in everything.captured_queries]
