"""The default library: every template passes the care check (as a global template, i.e. also under
the US rules) and renders with the documented context in every channel."""

import pytest

from accounts.choices import Channel
from outreach.care import care_check
from outreach.choices import Purpose
from outreach.library import CHANNELS, library_entries
from outreach.rendering import TEMPLATE_VARIABLES, render_message, sample_context, validate_template

ENTRIES = list(library_entries())


def test_library_covers_every_purpose_and_channel_in_english_and_pidgin():
    have = {(e.language, e.purpose, e.channel) for e in ENTRIES}
    for language in ("en", "pcm", "fr", "es"):
        for purpose in Purpose.values:
            for channel in CHANNELS:
                assert (language, purpose, channel) in have
    assert set(CHANNELS) == {Channel.SMS, Channel.EMAIL, Channel.WHATSAPP}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.language}-{e.purpose}-{e.channel}")
def test_library_template_passes_the_care_check(entry):
    validate_template(subject=entry.subject, body=entry.body)
    for jurisdiction in ("*", "US", "NG", "GB"):
        report = care_check(
            body=entry.body, subject=entry.subject, channel=entry.channel, language=entry.language,
            jurisdiction=jurisdiction, purpose=entry.purpose,
        )
        assert report.passed, [f for f in report.findings]
        # Not even a warning: the library is the example others copy.
        assert not report.findings, report.findings
        if entry.language == "en" and entry.channel in ("sms", "email"):
            assert report.readability_grade <= 6


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.language}-{e.purpose}-{e.channel}")
def test_library_template_renders_fully(entry, settings):
    context = sample_context(channel=entry.channel, language=entry.language, jurisdiction="US")
    assert set(context) == set(TEMPLATE_VARIABLES)
    rendered = render_message(template=entry, context=context)
    assert "{{" not in rendered.body and "{%" not in rendered.body
    assert "Ada" in rendered.body or entry.purpose == "opt_out_confirmation"
    if entry.purpose != "opt_out_confirmation":
        assert context["opt_out"] in rendered.body
        assert context["collector_disclosure"] in rendered.body
    if entry.channel == "email":
        assert rendered.subject and rendered.html_body.startswith("<p>")
    if entry.channel == "sms":
        assert rendered.segments >= 1 and rendered.encoding in ("GSM-7", "UCS-2")


def test_outside_the_us_no_collector_line_is_rendered():
    entry = next(e for e in ENTRIES if (e.language, e.purpose, e.channel) == ("en", "friendly_reminder", "sms"))
    ng = render_message(template=entry, context=sample_context(channel="sms", language="en", jurisdiction="NG"))
    assert "debt collector" not in ng.body
    assert ng.body.endswith("Reply STOP to stop texts to this number.")
