"""Ship the default cadences (outreach.cadences.defaults) into a fresh database, with history rows.
Cadences whose slug already exists are left alone. ``manage.py cadence_enrol --load-defaults`` does the
same through the services for a database that was flushed."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from outreach.cadences.defaults import DEFAULT_CADENCES, STEP_FIELDS

    Cadence = apps.get_model("outreach", "Cadence")
    CadenceStep = apps.get_model("outreach", "CadenceStep")
    HistoricalCadence = apps.get_model("outreach", "HistoricalCadence")
    HistoricalCadenceStep = apps.get_model("outreach", "HistoricalCadenceStep")
    User = apps.get_model("accounts", "User")
    system, _ = User.objects.get_or_create(
        username="system", defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"}
    )
    now = timezone.now()

    def history(model, history_model, obj):
        fields = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        history_model.objects.create(**fields, history_date=now, history_type="+", history_user=system,
                                     history_change_reason="Default cadences loaded")

    for spec in DEFAULT_CADENCES:
        if Cadence.objects.filter(slug=spec["slug"]).exists():
            continue
        cadence = Cadence.objects.create(
            name=spec["name"], slug=spec["slug"], description=spec["description"], priority=spec["priority"],
            buckets=spec["buckets"], products=[], is_active=True, created_by=system,
        )
        history(Cadence, HistoricalCadence, cadence)
        for order, values in enumerate(spec["steps"], start=1):
            step = CadenceStep.objects.create(cadence=cadence, order=order, **dict(zip(STEP_FIELDS, values, strict=True)))
            history(CadenceStep, HistoricalCadenceStep, step)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_cadences")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
