"""Load the default template library into a fresh database.

Uses the historical models only (as data migrations must); the words come from outreach.library and
the care report from the pure outreach.care module. Slots that already have an approved template are
left alone, so this is safe to run on any database. ``manage.py load_default_templates`` does the
same through the services (with audit events) for later additions to the library."""

from django.db import migrations
from django.utils import timezone


# Purposes added after this migration: their templates come with the migration that adds the purpose
# (the purpose check constraints of later migrations would refuse them here).
LATER_PURPOSES = {"verification_code"}


def load(apps, schema_editor, purposes=None):
    from outreach.care import care_check
    from outreach.library import library_entries

    MessageTemplate = apps.get_model("outreach", "MessageTemplate")
    History = apps.get_model("outreach", "HistoricalMessageTemplate")
    User = apps.get_model("accounts", "User")
    system, _ = User.objects.get_or_create(
        username="system", defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"}
    )
    now = timezone.now()
    for entry in library_entries():
        if (entry.purpose not in purposes) if purposes is not None else (entry.purpose in LATER_PURPOSES):
            continue
        if MessageTemplate.objects.filter(
            creditor__isnull=True, channel=entry.channel, language=entry.language, purpose=entry.purpose,
            status="approved",
        ).exists():
            continue
        report = care_check(
            body=entry.body, subject=entry.subject, channel=entry.channel, language=entry.language,
            jurisdiction="*", purpose=entry.purpose,
        )
        if not report.passed:
            raise RuntimeError(f"Library template fails the care check: {entry.language} {entry.purpose} {entry.channel}")
        latest = (
            MessageTemplate.objects.filter(
                creditor__isnull=True, channel=entry.channel, language=entry.language, purpose=entry.purpose
            ).order_by("-version").first()
        )
        template = MessageTemplate.objects.create(
            creditor=None, channel=entry.channel, language=entry.language, purpose=entry.purpose,
            version=(latest.version + 1) if latest else 1, status="approved", subject=entry.subject,
            body=entry.body, care_report=report.as_dict(), care_passed=True, created_by=system,
            approved_by=system, approved_at=now,
        )
        fields = {f.attname: getattr(template, f.attname) for f in MessageTemplate._meta.concrete_fields}
        History.objects.create(
            **fields, history_date=now, history_type="+", history_user=system,
            history_change_reason="Default library loaded",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_message_templates"),
        ("accounts", "0002_roles_and_system_user"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
