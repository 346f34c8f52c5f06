"""Email through Django's email framework (SMTP in production, whatever EMAIL_BACKEND says)."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives
from django.utils.html import linebreaks

from .base import ChannelBackend, ProviderError, SendResult


class EmailBackend(ChannelBackend):
    def deliver(self, message) -> SendResult:
        mail = EmailMultiAlternatives(
            subject=message.subject, body=message.body, from_email=message.from_address or None,
            to=[message.to_address],
            headers={"Message-ID": f"<{message.idempotency_key}@collections-crm>",
                     "X-Collections-Message": str(message.pk)},
        )
        mail.attach_alternative(linebreaks(message.body, autoescape=True), "text/html")
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ProviderError("The mail server refused the address.", retryable=False, code="recipient") from exc
        except (TimeoutError, smtplib.SMTPException, ConnectionError, OSError) as exc:
            raise ProviderError(f"The mail server did not take the message ({exc.__class__.__name__}).") from exc
        return SendResult(provider_message_id=f"email-{message.idempotency_key}", provider_status="sent")
