"""Ship a draft Valentine's-week campaign ("collecting with care", the library's seasonal_care message
with a budgeting tip) for the week up to the next 14 February. A supervisor reviews and launches it;
nothing is sent from a draft. Consent is required, and the gate decides every message."""

from datetime import UTC, date, datetime, time, timedelta

from django.db import migrations
from django.utils import timezone

NAME = "Valentine's week: collecting with care"


def next_valentines(today: date) -> date:
    day = date(today.year, 2, 14)
    return day if day >= today else date(today.year + 1, 2, 14)


def load(apps, schema_editor):
    Campaign = apps.get_model("outreach", "Campaign")
    History = apps.get_model("outreach", "HistoricalCampaign")
    User = apps.get_model("accounts", "User")
    if Campaign.objects.filter(name=NAME).exists():
        return
    system, _ = User.objects.get_or_create(
        username="system", defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"}
    )
    day = next_valentines(timezone.now().date())
    campaign = Campaign.objects.create(
        name=NAME,
        description="A kind note for the week of 14 February with a budgeting tip and an easy way to pay or "
                    "set up a plan. Review the audience, then launch.",
        buckets=[], languages=[], channel="preferred", purpose="seasonal_care", consent_required=True,
        starts_at=datetime.combine(day - timedelta(days=6), time(0), tzinfo=UTC),
        ends_at=datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC),
        status="draft", created_by=system,
    )
    fields = {f.attname: getattr(campaign, f.attname) for f in Campaign._meta.concrete_fields}
    History.objects.create(**fields, history_date=timezone.now(), history_type="+", history_user=system,
                           history_change_reason="Shipped example campaign")


class Migration(migrations.Migration):
    dependencies = [("outreach", "0006_cadence_deliveries_campaigns")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
