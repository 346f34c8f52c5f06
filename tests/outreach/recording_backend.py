"""A channel back-end for tests that records, at the moment of delivery, what the database says about
the message's gate decision, its contact attempt and the customer's consent."""

from compliance.choices import AttemptStatus, ConsentStatus
from compliance.models import ConsentRecord, ContactAttempt
from outreach.backends.base import ChannelBackend, SendResult

DELIVERIES: list[dict] = []


class RecordingBackend(ChannelBackend):
    idempotent_provider = True

    def deliver(self, message) -> SendResult:
        attempt = ContactAttempt.objects.select_related("decision").filter(pk=message.contact_attempt_id).first()
        latest = (ConsentRecord.objects.filter(customer_id=message.customer_id, channel=message.channel)
                  .order_by("-at", "-id").first())
        DELIVERIES.append({
            "message": message.pk,
            "decision_allowed": bool(attempt and attempt.decision.allowed),
            "decision_is_the_messages": bool(attempt and attempt.decision_id == message.gate_decision_id),
            "attempt_reserved": bool(attempt and attempt.status == AttemptStatus.RESERVED),
            "opted_out_since": bool(latest and latest.status == ConsentStatus.REVOKED and attempt
                                    and latest.at >= attempt.decision.at),
        })
        return SendResult(provider_message_id=f"REC{message.pk}-{len(DELIVERIES)}")
