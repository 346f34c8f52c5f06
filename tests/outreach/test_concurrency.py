"""Two supervisors approving two drafts of the same slot at the same moment: the slot lock makes
them take turns, so exactly one version ends approved and nothing fails."""

import threading

import pytest
from django.db import connection

from outreach.choices import TemplateStatus
from outreach.models import MessageTemplate
from outreach.services import message_template_approve

from .factories import KIND_SMS, make_template


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_leave_one_approved(supervisor, creditor):
    make_template(actor=supervisor, creditor=creditor, approve=True)
    drafts = [make_template(actor=supervisor, creditor=creditor, body=KIND_SMS + f" v{i}") for i in range(2)]
    barrier, errors = threading.Barrier(2), []

    def approve(draft):
        try:
            barrier.wait()
            message_template_approve(actor=supervisor, template=draft)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    statuses = dict(MessageTemplate.objects.filter(creditor=creditor).values_list("version", "status"))
    assert list(statuses.values()).count(TemplateStatus.APPROVED) == 1
    assert statuses[1] == TemplateStatus.RETIRED
