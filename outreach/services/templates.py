"""Writes for message templates: create, edit (versioned), approve, retire. Each service checks the
actor's role, validates the template (syntax and variables, then the care check), saves with
attributed history, and writes the audit log for approvals and retirements."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.choices import Role
from collections_crm.errors import ApplicationError
from collections_crm.history import SYSTEM_USERNAME, save_tracked
from compliance.audit import audit_record

from ..care import care_check
from ..choices import TemplateStatus
from ..models import MessageTemplate
from ..rendering import TemplateProblem, validate_template


def _require_supervisor(actor, doing: str) -> None:
    # The system user (unattended loads of the default library) acts with supervisor authority.
    if getattr(actor, "username", None) == SYSTEM_USERNAME:
        return
    if not (actor and actor.is_authenticated and actor.has_role(Role.SUPERVISOR)):
        raise ApplicationError(f"Only a supervisor can {doing}.", {"code": "not_supervisor"})


def _validate(*, subject: str, body: str, channel: str) -> None:
    if channel != "email" and subject:
        raise ApplicationError("Only email templates have a subject.", {"field": "subject", "code": "subject"})
    if not body.strip():
        raise ApplicationError("The message is empty.", {"field": "body", "code": "empty"})
    try:
        validate_template(subject=subject, body=body)
    except TemplateProblem as problem:
        raise ApplicationError(problem.message, {**problem.as_dict(), "code": "template_syntax"}) from problem


def _check(template: MessageTemplate) -> None:
    report = care_check(
        body=template.body, subject=template.subject, channel=template.channel, language=template.language,
        jurisdiction=template.jurisdiction, purpose=template.purpose,
    )
    template.care_report = report.as_dict()
    template.care_passed = report.passed


def _next_version(*, creditor, channel: str, language: str, purpose: str) -> int:
    slot = MessageTemplate.objects.filter(
        creditor=creditor, channel=channel, language=language, purpose=purpose
    ).select_for_update()
    return (slot.aggregate(top=Max("version"))["top"] or 0) + 1


@transaction.atomic
def message_template_create(
    *,
    actor,
    channel: str,
    language: str,
    purpose: str,
    body: str,
    subject: str = "",
    creditor=None,
    whatsapp_approved: bool = False,
    whatsapp_template_name: str = "",
) -> MessageTemplate:
    """Start a new draft (the next version for its slot). Broken syntax or an unknown variable is
    rejected with its line; care findings are stored and must be fixed before approval."""
    _require_supervisor(actor, "write message templates")
    _validate(subject=subject, body=body, channel=channel)
    template = MessageTemplate(
        creditor=creditor, channel=channel, language=language, purpose=purpose, subject=subject, body=body,
        whatsapp_approved=whatsapp_approved, whatsapp_template_name=whatsapp_template_name,
        version=_next_version(creditor=creditor, channel=channel, language=language, purpose=purpose),
        created_by=actor,
    )
    _check(template)
    return save_tracked(template, actor=actor, reason="Template draft created")


@transaction.atomic
def message_template_update(
    *,
    actor,
    template: MessageTemplate,
    body: str,
    subject: str = "",
    whatsapp_approved: bool | None = None,
    whatsapp_template_name: str | None = None,
) -> MessageTemplate:
    """Edit a template. A draft changes in place; an approved template stays in use and a new draft
    version is made from the edit; a retired version is kept exactly as it was."""
    _require_supervisor(actor, "write message templates")
    template = MessageTemplate.objects.select_for_update(of=("self",)).select_related("creditor").get(pk=template.pk)
    if template.status == TemplateStatus.RETIRED:
        raise ApplicationError(
            "A retired version is kept as it was sent. Edit the current version instead.", {"code": "retired"}
        )
    _validate(subject=subject, body=body, channel=template.channel)
    whatsapp = {
        "whatsapp_approved": template.whatsapp_approved if whatsapp_approved is None else whatsapp_approved,
        "whatsapp_template_name": (
            template.whatsapp_template_name if whatsapp_template_name is None else whatsapp_template_name
        ),
    }
    if template.status == TemplateStatus.APPROVED:
        draft = MessageTemplate(
            creditor=template.creditor, channel=template.channel, language=template.language,
            purpose=template.purpose, subject=subject, body=body, based_on=template, created_by=actor,
            version=_next_version(
                creditor=template.creditor, channel=template.channel, language=template.language,
                purpose=template.purpose,
            ),
            **whatsapp,
        )
        _check(draft)
        return save_tracked(draft, actor=actor, reason=f"New draft from approved v{template.version}")
    template.subject, template.body = subject, body
    for key, value in whatsapp.items():
        setattr(template, key, value)
    _check(template)
    return save_tracked(template, actor=actor, reason="Template draft edited")


@transaction.atomic
def message_template_approve(*, actor, template: MessageTemplate) -> MessageTemplate:
    """A supervisor approves a draft for use. The care check is run again and must pass; the version
    it replaces is retired in the same transaction."""
    _require_supervisor(actor, "approve message templates")
    slot = MessageTemplate.objects.filter(
        creditor=template.creditor_id, channel=template.channel, language=template.language, purpose=template.purpose
    )
    # Lock the whole slot (in pk order, so two approvals cannot deadlock), then read afresh: two
    # supervisors approving two drafts at once end with one approved and the other retired.
    list(slot.select_for_update().order_by("pk").values_list("pk", flat=True))
    template = MessageTemplate.objects.select_related("creditor").get(pk=template.pk)
    if template.status != TemplateStatus.DRAFT:
        raise ApplicationError("Only a draft can be approved.", {"code": "not_draft", "status": template.status})
    _validate(subject=template.subject, body=template.body, channel=template.channel)
    _check(template)
    if not template.care_passed:
        save_tracked(template, actor=actor, reason="Care check failed at approval")
        raise ApplicationError(
            "The care check found wording that must change before approval.",
            {"code": "care_check_failed", "findings": [f for f in template.care_report["findings"] if f["severity"] == "block"]},
        )
    now = timezone.now()
    current = (
        MessageTemplate.objects.select_for_update()
        .filter(
            creditor=template.creditor, channel=template.channel, language=template.language,
            purpose=template.purpose, status=TemplateStatus.APPROVED,
        )
        .first()
    )
    if current is not None:
        current.status, current.retired_at = TemplateStatus.RETIRED, now
        save_tracked(current, actor=actor, reason=f"Replaced by v{template.version}")
    template.status, template.approved_by, template.approved_at = TemplateStatus.APPROVED, actor, now
    save_tracked(template, actor=actor, reason="Template approved")
    audit_record(
        actor=actor, action="template.approved", obj=template, creditor=template.creditor,
        payload={
            "template_id": template.pk, "version": template.version, "purpose": template.purpose,
            "channel": template.channel, "language": template.language,
            "replaced_id": current.pk if current else None, "readability_grade": template.care_report.get("readability_grade"),
        },
    )
    return template


@transaction.atomic
def message_template_retire(*, actor, template: MessageTemplate) -> MessageTemplate:
    """Take a template out of use (kept for the record; messages cite it)."""
    _require_supervisor(actor, "retire message templates")
    template = MessageTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status == TemplateStatus.RETIRED:
        return template
    was = template.status
    template.status, template.retired_at = TemplateStatus.RETIRED, timezone.now()
    save_tracked(template, actor=actor, reason="Template retired")
    audit_record(
        actor=actor, action="template.retired", obj=template, creditor=template.creditor,
        payload={"template_id": template.pk, "version": template.version, "was": was},
    )
    return template
