"""Infrastructure wiring: record sign-ins, sign-outs, failed sign-ins and Django admin changes in the
audit chain. Connected from ComplianceConfig.ready(). No passwords or personal data in the payloads:
the attempted username of a back-office login is kept (it names a staff account, not a customer)."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _client(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""), "path": request.path[:200]}


def on_login(sender, request, user, **kwargs):
    from .audit import audit_record

    audit_record(actor=user, action="auth.login", obj=user, payload=_client(request))


def on_logout(sender, request, user, **kwargs):
    from .audit import audit_record

    if user is None:  # the session had already expired
        return
    audit_record(actor=user, action="auth.logout", obj=user, payload=_client(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    from .audit import audit_record

    # ``credentials`` is already scrubbed by Django (password → ********); keep only the username tried.
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", payload={"username": username, **_client(request)})


def on_admin_log_entry(sender, instance: LogEntry, created: bool, raw=False, **kwargs):
    from .audit import audit_record

    if not created or raw:
        return
    content_type = instance.content_type
    obj = None
    if instance.action_flag != DELETION and content_type is not None:
        model = content_type.model_class()
        if model is not None:
            obj = model._default_manager.filter(pk=instance.object_id).first()
    audit_record(
        actor=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.change"),
        obj=obj,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        # The change message lists field names only (Django's JSON form), never values.
        payload={"log_entry_id": instance.pk, "change_message": instance.change_message},
    )


def connect():
    user_logged_in.connect(on_login, dispatch_uid="compliance.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="compliance.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="compliance.audit.login_failed")
    post_save.connect(on_admin_log_entry, sender=LogEntry, dispatch_uid="compliance.audit.admin_log")
