"""The template editor pages: roles, save with errors shown, live preview fragment, approve."""

import pytest
from django.urls import reverse

from outreach.choices import TemplateStatus
from outreach.models import MessageTemplate

from .factories import make_template

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def test_agents_see_the_list_read_only(client, agent, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("outreach:template-list"), {"language": "pcm", "channel": "sms"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Friendly reminder" in body and "New template" not in body
    assert client.get(reverse("outreach:template-create")).status_code == 403


def test_list_query_count_does_not_grow_with_rows(client, agent, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("outreach:template-list")).status_code == 200


def test_supervisor_creates_a_draft_and_approves_it(client, supervisor, creditor):
    client.force_login(supervisor)
    response = client.post(reverse("outreach:template-create"), {
        "creditor": creditor.slug, "purpose": "plan_offer", "channel": "sms", "language": "en",
        "body": "Hi {{ first_name }}, you can pay in parts: {{ pay_link }} {{ opt_out }}",
    })
    template = MessageTemplate.objects.get(creditor=creditor)
    assert response.status_code == 302 and template.status == TemplateStatus.DRAFT
    detail = client.get(reverse("outreach:template-detail", args=[template.pk]))
    assert "Passes the care check" in detail.content.decode()
    client.post(reverse("outreach:template-action", args=[template.pk, "approve"]))
    template.refresh_from_db()
    assert template.status == TemplateStatus.APPROVED and template.approved_by == supervisor


def test_unknown_variable_is_shown_on_the_form_with_its_line(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("outreach:template-create"), {
        "purpose": "plan_offer", "channel": "sms", "language": "en", "body": "Hi\n{{ first_nam }}",
    })
    assert response.status_code == 400
    assert "Line 2: unknown variable" in response.content.decode()
    assert not MessageTemplate.objects.filter(body__contains="first_nam ").exists()


def test_approving_a_failing_draft_shows_why(client, supervisor, creditor):
    client.force_login(supervisor)
    template = make_template(actor=supervisor, creditor=creditor, body="Pay now, you deadbeat. {{ pay_link }}")
    response = client.post(reverse("outreach:template-action", args=[template.pk, "approve"]), follow=True)
    assert "care check found wording" in response.content.decode()
    template.refresh_from_db()
    assert template.status == TemplateStatus.DRAFT


def test_editing_an_approved_template_redirects_to_the_new_draft(client, supervisor, creditor):
    client.force_login(supervisor)
    v1 = make_template(actor=supervisor, creditor=creditor, approve=True)
    response = client.post(reverse("outreach:template-edit", args=[v1.pk]), {"body": v1.body + " Thanks."})
    v2 = MessageTemplate.objects.get(creditor=creditor, version=2)
    assert response.status_code == 302 and response.url == reverse("outreach:template-detail", args=[v2.pk])


def test_live_preview_fragment(client, agent):
    client.force_login(agent)
    url = reverse("outreach:template-preview")
    bad = client.post(url, {"channel": "sms", "language": "pcm", "body": "Police go come carry you. {{ pay_link }}"})
    text = bad.content.decode()
    assert bad.status_code == 200 and "Must change before approval" in text and "police go come carry" in text.lower()
    good = client.post(url, {"channel": "sms", "language": "en", "body": "Hi {{ first_name }}! Pay: {{ pay_link }} {{ collector_disclosure }} {{ opt_out }}"})
    text = good.content.decode()
    assert "Passes the care check" in text and "Hi Ada!" in text and "GSM-7" in text
    broken = client.post(url, {"channel": "sms", "language": "en", "body": "Hi\n{% if %}"})
    assert "template-problem" in broken.content.decode()


def test_wrong_verb_is_404(client, supervisor, creditor):
    client.force_login(supervisor)
    template = make_template(actor=supervisor, creditor=creditor)
    assert client.post(reverse("outreach:template-action", args=[template.pk, "delete"])).status_code == 404


def test_preview_with_a_bad_template_id_is_not_an_error(client, agent):
    client.force_login(agent)
    response = client.post(reverse("outreach:template-preview"), {"template": "abc", "channel": "sms", "body": "Hi"})
    assert response.status_code == 200
