"""Which model permissions each role group holds. Groups are created by a data migration; their
permissions are re-synced after every migrate because permissions only exist after post_migrate."""

from django.apps import apps as global_apps

from .choices import Role

PROJECT_APPS = ("accounts", "compliance", "outreach", "payments")

# Agents read everything in the project apps and change the day-to-day work items.
AGENT_CHANGES = {
    "accounts": {"case", "customer"},
    "compliance": {"consent", "hold", "dispute", "contactpreference"},
    "outreach": {"interaction", "message", "calltask", "note"},
    "payments": {"promisetopay", "instalmentplan"},
}


def permissions_for(role: str, permission_model):
    qs = permission_model.objects.filter(content_type__app_label__in=PROJECT_APPS)
    if role == Role.AGENT:
        allowed = [p for p in qs.select_related("content_type") if p.codename.startswith("view_")]
        for p in qs.select_related("content_type"):
            models = AGENT_CHANGES.get(p.content_type.app_label, set())
            if p.content_type.model in models and p.codename.split("_", 1)[0] in ("add", "change"):
                allowed.append(p)
        return allowed
    if role == Role.SUPERVISOR:
        return [p for p in qs if not p.codename.startswith("delete_")]
    return list(permission_model.objects.all())


def sync_role_permissions(sender=None, apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(permissions_for(role.value, Permission))


def ensure_system_user(sender=None, apps=global_apps, **kwargs):
    """The inactive ``system`` user (made by migration 0002) again after a flush, e.g. after every
    transactional or live-server test, so unattended work always has someone to be attributed to."""
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(
        username="system", defaults={"is_active": False, "first_name": "System", "last_name": "(automated)"}
    )
