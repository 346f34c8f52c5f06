"""The sandboxed template engine: unknown variables and broken syntax are rejected with the line."""

from types import SimpleNamespace

import pytest

from outreach.rendering import TemplateProblem, render_message, sample_context, validate_source


def _tpl(body, channel="sms", subject=""):
    return SimpleNamespace(body=body, channel=channel, subject=subject)


def test_unknown_variable_is_rejected_with_its_line():
    with pytest.raises(TemplateProblem) as err:
        validate_source("Hi {{ first_name }},\n\nYou owe {{ balance_total }}.")
    assert err.value.line == 3
    assert "balance_total" in err.value.message


def test_broken_syntax_is_rejected_with_its_line():
    with pytest.raises(TemplateProblem) as err:
        validate_source("Hi {{ first_name }}\n{% if pay_link %}\nPay here")
    assert err.value.line == 2
    with pytest.raises(TemplateProblem) as err:
        validate_source("line one\nline two {{ first_name|nosuchfilter }}")
    assert err.value.line == 2


@pytest.mark.parametrize(
    "source",
    [
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% url 'home' %}",
        "{% debug %}",
        "{{ first_name.upper }}",  # no attribute access on values
        "{% if nothing_known %}x{% endif %}",
        "{% for x in something_else %}{{ x }}{% endfor %}",
        "{{ first_name|default:secret_key }}",
    ],
)
def test_sandbox_refuses_anything_outside_the_safe_set(source):
    with pytest.raises(TemplateProblem):
        validate_source(source)


def test_safe_tags_and_filters_work():
    body = (
        "{% if plan_summary %}Plan: {{ plan_summary|lower }}{% else %}No plan{% endif %}"
        " {% with name=first_name %}{{ name|upper }}{% endwith %} {{ agent_name|default:\"our team\" }}"
    )
    out = render_message(template=_tpl(body), context={"plan_summary": "6 Payments", "first_name": "Ada"})
    assert out.body == "Plan: 6 payments ADA our team"


def test_sms_is_plain_text_and_measured():
    out = render_message(template=_tpl("Hi {{ first_name }} & co <b>"), context={"first_name": "Ada<"})
    assert out.body == "Hi Ada< & co <b>"
    assert out.encoding == "GSM-7" and out.segments == 1


def test_email_html_is_escaped():
    out = render_message(
        template=_tpl("Hi {{ first_name }},\n\nThanks & bye", channel="email", subject="For {{ first_name }}"),
        context={"first_name": "<script>x</script>"},
    )
    assert "<script>" not in out.html_body and "&lt;script&gt;" in out.html_body
    assert "Thanks &amp; bye" in out.html_body
    assert out.subject == "For <script>x</script>"  # subjects are plain text headers
    assert out.segments is None


def test_sample_context_disclosures_follow_the_jurisdiction():
    us = sample_context(channel="sms", language="pcm", jurisdiction="US")
    ng = sample_context(channel="sms", language="pcm", jurisdiction="NG")
    assert "debt collector" in us["collector_disclosure"]
    assert ng["collector_disclosure"] == ""
    assert ng["opt_out"].startswith("Reply STOP")
