"""Worked examples for the pure contact gate (no database)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from compliance.gate import ConsentState, ContactRecord, HoldSnapshot, Preferences, check
from compliance.keywords import is_opt_out
from compliance.rules import US, RuleLoosening, Tightening, profile_for, validate_tightening

from .gate_helpers import make_context

NY = ZoneInfo("America/New_York")


def at_ny(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=NY)


def test_window_in_local_time_and_next_allowed():
    ctx = make_context()
    d = check(channel="voice", at=at_ny(2026, 3, 10, 7, 59), context=ctx)
    assert not d.allowed and d.reasons == ("outside_window",)
    assert d.next_allowed_at == at_ny(2026, 3, 10, 8, 0)
    assert check(channel="voice", at=at_ny(2026, 3, 10, 8, 0), context=ctx).allowed
    late = check(channel="sms", at=at_ny(2026, 3, 10, 21, 0), context=ctx)
    assert late.reasons == ("outside_window",) and late.next_allowed_at == at_ny(2026, 3, 11, 8, 0)


def test_unknown_zone_needs_every_zone():
    # cmt 6(b)(1)(i)-2: Eastern mobile + Pacific address -> after 11:00 ET and before 21:00 ET.
    ctx = make_context(zones=("America/New_York", "America/Los_Angeles"))
    assert not check(channel="voice", at=at_ny(2026, 3, 10, 10, 59), context=ctx).allowed
    d = check(channel="voice", at=at_ny(2026, 3, 10, 9, 0), context=ctx)
    assert d.next_allowed_at == at_ny(2026, 3, 10, 11, 0)
    assert check(channel="voice", at=at_ny(2026, 3, 10, 11, 0), context=ctx).allowed


def test_public_holiday_is_quiet_and_from_holidays_library():
    ctx = make_context()
    d = check(channel="email", at=at_ny(2026, 7, 3, 12), context=ctx)  # Independence Day, observed Fri 3rd and Sat 4th
    assert "quiet_day" in d.reasons and d.next_allowed_at == at_ny(2026, 7, 5, 8)


def test_seven_calls_in_seven_days_then_blocked_until_first_leaves():
    start = at_ny(2026, 3, 2, 9)
    history = [ContactRecord((start + timedelta(days=i)).astimezone(UTC), "voice", 1) for i in range(7)]
    ctx = make_context(history=history)
    d = check(channel="voice", at=at_ny(2026, 3, 8, 15), context=ctx)
    assert d.reasons == ("frequency_cap",)
    # 12 CFR 1006.14(b)(2)(i): the first call (2 March) leaves the 7-day window on 9 March.
    assert d.next_allowed_at == at_ny(2026, 3, 9, 8)
    assert check(channel="sms", at=at_ny(2026, 3, 8, 15), context=ctx).allowed  # texts are not calls
    other_debt = make_context(history=history, account_id=2)
    assert check(channel="voice", at=at_ny(2026, 3, 8, 15), context=other_debt).allowed  # per debt


def test_conversation_cooldown_counts_conversation_day_as_day_one():
    talk = ContactRecord(at_ny(2026, 3, 2, 10).astimezone(UTC), "voice", 1, is_conversation=True)
    ctx = make_context(history=[talk])
    d = check(channel="voice", at=at_ny(2026, 3, 8, 20), context=ctx)
    assert d.reasons == ("conversation_cooldown",) and d.next_allowed_at == at_ny(2026, 3, 9, 8)


def test_massachusetts_two_per_week_across_calls_and_texts():
    start = at_ny(2026, 3, 2, 9)
    history = [ContactRecord(start.astimezone(UTC), "sms", 1), ContactRecord(start.astimezone(UTC), "voice", 2)]
    ctx = make_context(region="MA", history=history)
    assert check(channel="sms", at=at_ny(2026, 3, 3, 12), context=ctx).reasons == ("frequency_cap",)
    assert check(channel="email", at=at_ny(2026, 3, 3, 12), context=ctx).allowed


def test_holds_block_by_kind_and_purpose():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    dispute = HoldSnapshot("dispute", 1, t0)
    ctx = make_context(holds=[dispute])
    noon = at_ny(2026, 3, 10, 12)
    assert check(channel="sms", at=noon, context=ctx).reasons == ("hold:dispute",)
    assert check(channel="sms", at=noon, purpose="transactional", context=ctx).allowed
    assert check(channel="sms", at=noon, context=make_context(holds=[dispute], account_id=2)).allowed
    cease = make_context(holds=[HoldSnapshot("cease_communication", None, t0)])
    assert check(channel="sms", at=noon, purpose="transactional", context=cease).reasons == ("hold:cease_communication",)
    pause_end = at_ny(2026, 3, 20, 0).astimezone(UTC)
    paused = make_context(holds=[HoldSnapshot("hardship_pause", None, t0, pause_end)])
    d = check(channel="email", at=noon, context=paused)
    assert d.reasons == ("hold:hardship_pause",) and d.next_allowed_at == at_ny(2026, 3, 20, 8)


def test_opt_out_blocks_and_allows_exactly_one_confirmation():
    revoked_at = at_ny(2026, 3, 10, 22).astimezone(UTC)
    consents = {"sms": ConsentState("revoked", revoked_at)}
    ctx = make_context(consents=consents)
    noon = at_ny(2026, 3, 11, 12)
    assert check(channel="sms", at=noon, context=ctx).reasons == ("opted_out",)
    assert check(channel="sms", at=noon, context=ctx).next_allowed_at is None
    assert check(channel="sms", at=noon, purpose="transactional", context=ctx).reasons == ("opted_out",)
    assert check(channel="sms", at=at_ny(2026, 3, 10, 22, 1), purpose="opt_out_confirmation", context=ctx).allowed
    sent = make_context(consents=consents, history=[ContactRecord(revoked_at, "sms", 1, "opt_out_confirmation")])
    d = check(channel="sms", at=noon, purpose="opt_out_confirmation", context=sent)
    assert d.reasons == ("confirmation_not_due",)


def test_all_reasons_listed_and_static_ones_have_no_next_time():
    ctx = make_context(consents={}, closed=True, points=frozenset({"email"}))
    d = check(channel="sms", at=at_ny(2026, 3, 10, 23), context=ctx)
    assert set(d.reasons) == {"no_contact_point", "no_consent", "account_closed", "outside_window"}
    assert d.next_allowed_at is None


def test_customer_hours_days_and_work():
    prefs = Preferences(hours_start=time(18), hours_end=time(20), days=frozenset({0, 1, 2, 3, 4}))
    ctx = make_context(preferences=prefs)
    d = check(channel="sms", at=at_ny(2026, 3, 13, 12), context=ctx)  # Friday noon
    assert d.reasons == ("customer_hours",) and d.next_allowed_at == at_ny(2026, 3, 13, 18)
    sat = check(channel="sms", at=at_ny(2026, 3, 14, 19), context=ctx)
    assert sat.next_allowed_at == at_ny(2026, 3, 16, 18)
    work = make_context(preferences=Preferences(no_contact_at_work=True))
    assert check(channel="voice", at=at_ny(2026, 3, 13, 12), context=work).reasons == ("at_work",)
    assert check(channel="email", at=at_ny(2026, 3, 13, 12), context=work).allowed


def test_creditor_tightening_and_loosening_rejected():
    tight = Tightening(version="3", window_start=time(10), window_end=time(18), channel_limits={"voice": (3, 7)})
    validate_tightening(US, tight)
    ctx = make_context(tightening=tight)
    assert check(channel="voice", at=at_ny(2026, 3, 10, 9), context=ctx).reasons == ("outside_window",)
    assert ctx.rule_version == "US@2026.1+creditor.3"
    with pytest.raises(RuleLoosening) as exc:
        validate_tightening(US, Tightening(window_start=time(7), channel_limits={"voice": (9, 7)}))
    assert set(exc.value.problems) == {"window_start", "channel_limits.voice"}
    with pytest.raises(RuleLoosening):
        validate_tightening(profile_for("US", "MA"), Tightening(channel_limits={"sms": (3, 7)}))


def test_us_messages_need_opt_out_notice():
    ctx = make_context()
    assert check(channel="email", at=at_ny(2026, 3, 10, 12), context=ctx).required_disclosures == ("opt_out_notice",)
    assert check(channel="voice", at=at_ny(2026, 3, 10, 12), context=ctx).required_disclosures == ()


@pytest.mark.parametrize("text,lang,expected", [
    ("STOP", None, True), ("Unsubscribe", None, True), ("stop please!", None, True), ("Abeg stop am", "pcm", True),
    ("Arrêter", "fr", True), ("BAJA", "es", True), ("end of month I go pay", None, False),
    ("I will pay, don't stop the plan", None, False), ("", None, False),
])
def test_opt_out_keywords(text, lang, expected):
    assert is_opt_out(text, lang) is expected


def test_new_york_city_three_contacts_per_account_across_channels_and_consent_for_email():
    # 6 RCNY 5-77 (NYC DCWP, reported in effect from 1 Sep 2026 -- verify): 3 contacts or attempts in any
    # 7 days across all channels; email and text need written consent.
    nyc = profile_for("US", "nyc")
    assert nyc.code == "US-NYC" and "6 RCNY 5-77" in nyc.cites
    assert profile_for("US", "NY").code == "US"  # the state alone does not carry the city rule
    start = at_ny(2026, 11, 2, 9)
    history = [ContactRecord(start.astimezone(UTC), ch, 1) for ch in ("email", "sms", "voice")]
    ctx = make_context(region="NYC", history=history, zones=())
    assert ctx.zones == ("America/New_York",)
    blocked = check(channel="email", at=at_ny(2026, 11, 4, 12), context=ctx)
    assert blocked.reasons == ("frequency_cap",)
    assert blocked.next_allowed_at == at_ny(2026, 11, 9, 8)  # the first attempt leaves the 7-day window
    # Per account: another account of the same customer is not yet at its cap.
    other = make_context(region="NYC", history=history, account_id=2)
    assert check(channel="email", at=at_ny(2026, 11, 4, 12), context=other).allowed
    # Two attempts leave room for a third; the federal 7-in-7 call cap alone would allow many more.
    assert check(channel="voice", at=at_ny(2026, 11, 4, 12), context=make_context(region="NYC",
                                                                                    history=history[:2])).allowed
    no_email_consent = make_context(region="NYC", consents={"sms": ConsentState("granted", start)})
    assert check(channel="email", at=at_ny(2026, 11, 4, 12), context=no_email_consent).reasons == ("no_consent",)
    assert check(channel="email", at=at_ny(2026, 11, 4, 12),
                 context=make_context(region="NY", consents={})).allowed
