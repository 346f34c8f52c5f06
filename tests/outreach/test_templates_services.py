"""Template services and selectors: versioning, approval rules, history, audit and the fallback chain."""

import pytest

from collections_crm.errors import ApplicationError
from compliance.models import AuditEvent
from outreach.choices import TemplateStatus
from outreach.models import MessageTemplate
from outreach.selectors import language_chain, message_template_versions, template_for
from outreach.services import (
    message_template_approve,
    message_template_retire,
    message_template_update,
)
from tests.accounts.factories import CreditorFactory

from .factories import KIND_SMS, make_template

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library")]


def test_the_data_migration_loads_the_library_with_history():
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("outreach.migrations.0002_default_library")
    # The models as they stood for this migration (no history signals), as `migrate` would pass them.
    apps = MigrationExecutor(connection).loader.project_state(("outreach", "0001_message_templates")).apps
    MessageTemplate.history.all().delete()
    MessageTemplate.objects.all().delete()
    migration.load(apps, None)
    approved = MessageTemplate.objects.filter(creditor__isnull=True, status=TemplateStatus.APPROVED)
    assert approved.count() == 144
    assert all(t.care_passed and t.approved_by.username == "system" for t in approved)
    assert MessageTemplate.history.filter(history_type="+").count() == 144
    migration.load(apps, None)  # idempotent
    assert MessageTemplate.objects.count() == 144
    # Purposes added later come with their own migration (0009: the portal's one-time code).
    migration.load(apps, None, purposes={"verification_code"})
    assert MessageTemplate.objects.filter(purpose="verification_code").count() == 12


def test_create_makes_a_checked_draft(supervisor, creditor):
    template = make_template(actor=supervisor, creditor=creditor)
    assert template.status == TemplateStatus.DRAFT and template.version == 1
    assert template.care_passed is True
    assert template.care_report["passed"] is True
    assert template.history.first().history_user == supervisor


def test_agents_cannot_write_or_approve(agent, supervisor, creditor):
    with pytest.raises(ApplicationError):
        make_template(actor=agent, creditor=creditor)
    template = make_template(actor=supervisor, creditor=creditor)
    with pytest.raises(ApplicationError) as err:
        message_template_approve(actor=agent, template=template)
    assert err.value.extra["code"] == "not_supervisor"


def test_bad_syntax_or_unknown_variable_is_rejected_with_the_line(supervisor, creditor):
    with pytest.raises(ApplicationError) as err:
        make_template(actor=supervisor, creditor=creditor, body="Hi\n{{ secret }}")
    assert err.value.extra["line"] == 2 and err.value.extra["code"] == "template_syntax"
    with pytest.raises(ApplicationError) as err:
        make_template(actor=supervisor, creditor=creditor, body="Hi\n\n{% if pay_link %}")
    assert err.value.extra["line"] == 3
    assert not MessageTemplate.objects.filter(creditor=creditor).exists()


def test_approval_requires_a_passing_care_check(supervisor, creditor):
    template = make_template(actor=supervisor, creditor=creditor, body="Pay now or we will tell your employer. {{ pay_link }}")
    assert template.care_passed is False  # saved as a draft, with the findings stored
    with pytest.raises(ApplicationError) as err:
        message_template_approve(actor=supervisor, template=template)
    assert err.value.extra["code"] == "care_check_failed"
    assert err.value.extra["findings"][0]["category"] == "shaming"
    template.refresh_from_db()
    assert template.status == TemplateStatus.DRAFT


def test_us_creditor_template_needs_the_disclosures(supervisor):
    us = CreditorFactory(slug="boston-gas", country="US", region="MA", currency="USD")
    template = make_template(actor=supervisor, creditor=us, body="Hi {{ first_name }}. Pay here: {{ pay_link }}")
    categories = {f["category"] for f in template.care_report["findings"]}
    assert {"disclosure_opt_out", "disclosure_collector"} <= categories
    fixed = message_template_update(
        actor=supervisor, template=template,
        body="Hi {{ first_name }}. Pay here: {{ pay_link }} {{ collector_disclosure }} {{ opt_out }}",
    )
    assert message_template_approve(actor=supervisor, template=fixed).status == TemplateStatus.APPROVED


def test_editing_an_approved_template_makes_a_new_version_and_approval_retires_the_old(supervisor, creditor):
    v1 = make_template(actor=supervisor, creditor=creditor, approve=True)
    v2 = message_template_update(actor=supervisor, template=v1, body=KIND_SMS.replace("Hi", "Hello"))
    assert v2.pk != v1.pk and v2.version == 2 and v2.based_on == v1 and v2.status == TemplateStatus.DRAFT
    v1.refresh_from_db()
    assert v1.status == TemplateStatus.APPROVED  # still in use while v2 is reviewed
    message_template_approve(actor=supervisor, template=v2)
    v1.refresh_from_db()
    assert v1.status == TemplateStatus.RETIRED and v1.body == KIND_SMS and v1.retired_at
    assert [t.version for t in message_template_versions(template=v2)] == [2, 1]
    assert AuditEvent.objects.filter(action="template.approved", object_id=str(v2.pk)).exists()


def test_a_draft_is_edited_in_place_and_a_retired_version_not_at_all(supervisor, creditor):
    draft = make_template(actor=supervisor, creditor=creditor)
    edited = message_template_update(actor=supervisor, template=draft, body=KIND_SMS + " Thanks.")
    assert edited.pk == draft.pk and edited.version == 1
    assert edited.history.count() == 2
    retired = message_template_retire(actor=supervisor, template=edited)
    with pytest.raises(ApplicationError):
        message_template_update(actor=supervisor, template=retired, body=KIND_SMS)
    with pytest.raises(ApplicationError):
        message_template_approve(actor=supervisor, template=retired)


def test_subject_only_on_email(supervisor, creditor):
    with pytest.raises(ApplicationError):
        make_template(actor=supervisor, creditor=creditor, subject="Hello")


def test_database_allows_one_approved_template_per_slot(supervisor, creditor):
    from django.db import IntegrityError, transaction

    v1 = make_template(actor=supervisor, creditor=creditor, approve=True)
    clash = MessageTemplate(
        creditor=creditor, channel=v1.channel, language=v1.language, purpose=v1.purpose, version=9,
        status=TemplateStatus.APPROVED, body=KIND_SMS, care_passed=True, approved_by=supervisor,
        approved_at=v1.approved_at, created_by=supervisor,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_language_chain():
    creditor = CreditorFactory.build(default_language="fr")
    assert language_chain(language="pcm", creditor=creditor) == ["pcm", "fr", "en"]
    assert language_chain(language="en", creditor=creditor) == ["en", "fr"]
    assert language_chain(language="es", creditor=None) == ["es", "en"]


def test_template_for_prefers_creditor_then_global_then_falls_back_by_language(supervisor):
    creditor = CreditorFactory(slug="abuja-water", default_language="pcm")
    purpose, channel = "friendly_reminder", "sms"
    # Customer speaks Pidgin: the global Pidgin library template.
    found = template_for(purpose=purpose, channel=channel, language="pcm", creditor=creditor)
    assert (found.language, found.creditor_id) == ("pcm", None)
    # The creditor's own Pidgin template wins over the global one.
    own = make_template(actor=supervisor, creditor=creditor, language="pcm", approve=True,
                        body="Hello {{ first_name }}, pay here: {{ pay_link }} {{ opt_out }}")
    assert template_for(purpose=purpose, channel=channel, language="pcm", creditor=creditor) == own
    # Drafts are never used.
    make_template(actor=supervisor, creditor=creditor, language="fr")
    # No approved French at all (retire the library's): customer fr → creditor default pcm → own.
    for t in MessageTemplate.objects.filter(language="fr", purpose=purpose, channel=channel, status="approved"):
        message_template_retire(actor=supervisor, template=t)
    assert template_for(purpose=purpose, channel=channel, language="fr", creditor=creditor) == own
    # Without the creditor's own or any Pidgin, English is the last resort.
    message_template_retire(actor=supervisor, template=own)
    for t in MessageTemplate.objects.filter(language="pcm", purpose=purpose, channel=channel, status="approved"):
        message_template_retire(actor=supervisor, template=t)
    fallback = template_for(purpose=purpose, channel=channel, language="fr", creditor=creditor)
    assert (fallback.language, fallback.creditor_id) == ("en", None)
    # And nothing at all → None.
    message_template_retire(actor=supervisor, template=fallback)
    assert template_for(purpose=purpose, channel=channel, language="fr", creditor=creditor) is None


def test_template_for_is_one_query(supervisor, django_assert_num_queries):
    creditor = CreditorFactory(slug="kano-gas")
    with django_assert_num_queries(1):
        template_for(purpose="plan_offer", channel="email", language="es", creditor=creditor)


def test_load_default_templates_is_idempotent(supervisor):
    from django.core.management import call_command

    from outreach.library import library_entries, library_load

    assert library_load(actor=supervisor) == {"created": 0, "skipped": len(list(library_entries()))}
    one = MessageTemplate.objects.get(creditor__isnull=True, language="es", purpose="plan_offer", channel="sms", status="approved")
    message_template_retire(actor=supervisor, template=one)
    call_command("load_default_templates")
    replacement = MessageTemplate.objects.get(
        creditor__isnull=True, language="es", purpose="plan_offer", channel="sms", status="approved"
    )
    assert replacement.version == one.version + 1
    assert library_load(actor=supervisor)["created"] == 0
