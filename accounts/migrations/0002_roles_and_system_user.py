"""Data migration: the three role groups and the system user that unattended work is attributed to."""

from django.db import migrations

ROLES = ("agent", "supervisor", "admin")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    User.objects.get_or_create(
        username="system", defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"}
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
