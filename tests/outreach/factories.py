"""Factories for outreach. Templates are made through the services so they are validated and checked."""

from outreach.services import message_template_approve, message_template_create

KIND_SMS = "Hi {{ first_name }}, {{ amount_due }} is due on {{ due_date }}. Pay here: {{ pay_link }} {{ opt_out }}"


def make_template(*, actor, approve=False, creditor=None, channel="sms", language="en",
                  purpose="friendly_reminder", body=KIND_SMS, subject=""):
    template = message_template_create(
        actor=actor, creditor=creditor, channel=channel, language=language, purpose=purpose, body=body,
        subject=subject,
    )
    if approve:
        template = message_template_approve(actor=actor, template=template)
    return template
