"""Property tests: over random zones (DST edges, half- and quarter-hour offsets), times and histories,
no allowed decision breaks a rule, every blocked one names a true reason, and next_allowed_at is the
first allowed moment. The oracle below restates each rule directly from the reference, independently
of the gate's boundary arithmetic."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.gate import COUNTED_PURPOSES, HOLD_BLOCKS, ConsentState, ContactRecord, HoldSnapshot, check

from .gate_helpers import make_context

ZONES = ["Asia/Kolkata", "Australia/Adelaide", "America/New_York", "America/Los_Angeles", "Europe/London",
         "Africa/Lagos", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham",
         "America/Phoenix", "Pacific/Honolulu"]
# DST transitions in 2026 for the zones above, so times cluster where bugs live.
EDGES = [datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC),
         datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC),
         datetime(2026, 4, 4, 16, 30, tzinfo=UTC), datetime(2026, 10, 3, 16, 30, tzinfo=UTC),
         datetime(2026, 4, 4, 15, tzinfo=UTC), datetime(2026, 9, 26, 14, tzinfo=UTC)]
CHANNELS = ["voice", "sms", "email", "whatsapp"]
PURPOSES = ["collection", "transactional", "campaign", "opt_out_confirmation"]
JURISDICTIONS = [("US", ""), ("US", "MA"), ("US", "WA"), ("GB", ""), ("NG", ""), ("FR", "")]

instants = st.one_of(
    st.builds(lambda e, m: e + timedelta(minutes=m), st.sampled_from(EDGES), st.integers(-3 * 1440, 3 * 1440)),
    st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2026, 12, 20)).map(lambda d: d.replace(tzinfo=UTC)),
)
records = st.lists(
    st.tuples(st.integers(1, 14 * 24 * 60), st.sampled_from(CHANNELS), st.sampled_from([1, 2]),
              st.sampled_from(["collection", "campaign", "transactional"]), st.booleans()),
    max_size=14,
)
holds = st.lists(st.tuples(st.sampled_from(list(HOLD_BLOCKS)), st.sampled_from([None, 1, 2]),
                           st.integers(-20 * 1440, 5 * 1440), st.one_of(st.none(), st.integers(60, 20 * 1440))),
                 max_size=2)


def build(zones, juris, at, recs, hold_specs, consent_spec):
    history = [ContactRecord(at - timedelta(minutes=m), ch, acc, purpose, conv and ch == "voice")
               for m, ch, acc, purpose, conv in recs]
    snapshots = [HoldSnapshot(kind, acc, at + timedelta(minutes=s), None if d is None else at + timedelta(minutes=s + d))
                 for kind, acc, s, d in hold_specs]
    consents = {ch: ConsentState(status, at - timedelta(days=3)) for ch, status in consent_spec.items()}
    return make_context(country=juris[0], region=juris[1], zones=zones, history=history, holds=snapshots,
                        consents=consents)


def true_reasons(ctx, channel, purpose, t):
    """Which rules the contact at ``t`` breaks, restated plainly."""
    p = ctx.effective
    broken = set()
    consent = ctx.consents.get(channel)
    revoked = consent is not None and consent.status == "revoked"
    if channel not in ctx.contact_points:
        broken.add("no_contact_point")
    if purpose == "opt_out_confirmation":
        if not revoked or any(r.channel == channel and r.purpose == purpose and r.at >= consent.at for r in ctx.history):
            broken.add("confirmation_not_due")
        return broken
    if revoked:
        broken.add("opted_out")
    elif (purpose == "campaign" or (purpose == "collection" and channel in p.consent_channels)) and (
        consent is None or consent.status != "granted"
    ):
        broken.add("no_consent")
    collecting = purpose in ("collection", "campaign")
    for h in ctx.holds:
        if (h.account_id in (None, ctx.account_id) and purpose in HOLD_BLOCKS[h.kind]
                and h.starts_at <= t and (h.ends_at is None or t < h.ends_at)):
            broken.add("hold:" + h.kind)
    for name in ctx.zones:
        local = t.astimezone(ZoneInfo(name))
        if not (p.window_start <= local.time() < p.window_end):
            broken.add("outside_window")
        if collecting and (local.weekday() in p.quiet_weekdays or local.date() in ctx.holidays):
            broken.add("quiet_day")
        if collecting and channel in p.cooldown_channels:
            today = local.date()
            for r in ctx.history:
                if r.is_conversation and r.account_id == ctx.account_id and r.at <= t:
                    day = r.at.astimezone(ZoneInfo(name)).date()
                    if 0 <= (today - day).days < p.conversation_cooldown_days:
                        broken.add("conversation_cooldown")
    if collecting:
        def in_last_days(r, days):  # within the N consecutive local days ending today, in any zone
            return any((t.astimezone(ZoneInfo(z)).date() - r.at.astimezone(ZoneInfo(z)).date()).days < days
                       for z in ctx.zones)

        for cap in p.caps:
            if channel in cap.channels:
                n = sum(1 for r in ctx.history
                        if r.channel in cap.channels and r.purpose in COUNTED_PURPOSES and r.at <= t
                        and (cap.per == "customer" or r.account_id == ctx.account_id) and in_last_days(r, cap.days))
                if n + 1 > cap.limit:
                    broken.add("frequency_cap")
    return broken


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
    juris=st.sampled_from(JURISDICTIONS),
    at=instants,
    recs=records,
    hold_specs=holds,
    consent_spec=st.dictionaries(st.sampled_from(CHANNELS), st.sampled_from(["granted", "revoked"])),
    channel=st.sampled_from(CHANNELS),
    purpose=st.sampled_from(PURPOSES),
)
def test_decisions_agree_with_the_rules(zones, juris, at, recs, hold_specs, consent_spec, channel, purpose):
    ctx = build(zones, juris, at, recs, hold_specs, consent_spec)
    decision = check(channel=channel, at=at, purpose=purpose, context=ctx)
    truth = true_reasons(ctx, channel, purpose, at)
    if decision.allowed:
        assert truth == set(), f"allowed but breaks {truth}"
        assert decision.reasons == ("allowed",)
    else:
        assert set(decision.reasons) == truth, f"gate said {decision.reasons}, rules say {truth}"
    nxt = decision.next_allowed_at
    if not decision.allowed and nxt is not None:
        assert nxt > at
        assert check(channel=channel, at=nxt, purpose=purpose, context=ctx).allowed
        assert true_reasons(ctx, channel, purpose, nxt) == set()
        # Nothing earlier was allowed: probe the minute before and a spread of instants in between.
        span = nxt - at
        for k in range(1, 9):
            probe = at + span * k / 9
            if probe < nxt - timedelta(microseconds=1):
                assert true_reasons(ctx, channel, purpose, probe), f"{probe} was already allowed"
        assert true_reasons(ctx, channel, purpose, nxt - timedelta(seconds=1))
