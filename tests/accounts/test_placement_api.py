"""POST /api/placements/ and the import list/detail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Account, PlacementImport
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db
URL = "/api/placements/"


def post(client, creditor_slug, data: bytes):
    return client.post(URL, {"creditor": creditor_slug, "file": SimpleUploadedFile("p.csv", data)}, format="multipart")


def test_post_imports_and_answers_with_summary_and_errors(supervisor_api, supervisor, creditor):
    response = post(supervisor_api, creditor.slug, csv_bytes([row(), row(account_reference="A2", due_date="2024-02-31")]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["rejected"], body["source"], body["actor"]) == (1, 1, "api", supervisor.username)
    assert body["errors"] == [{"line": 3, "column": "due_date", "value": "2024-02-31",
                               "reason": "“2024-02-31” is not a real date in the form YYYY-MM-DD"}]
    assert Account.objects.get().history.get().history_user == supervisor
    listing = supervisor_api.get(URL).json()
    assert listing["results"][0]["id"] == body["id"] and "errors" not in listing["results"][0]
    assert supervisor_api.get(f"{URL}{body['id']}/").json()["errors"][0]["line"] == 3


def test_unknown_creditor_is_a_clean_400(supervisor_api):
    response = post(supervisor_api, "nobody", csv_bytes([row()]))
    assert response.status_code == 400
    assert "No creditor with slug" in response.json()["creditor"][0]


def test_unreadable_file_is_a_400_with_the_reason(supervisor_api, creditor):
    response = post(supervisor_api, creditor.slug, b"")
    assert response.status_code == 400  # DRF refuses an empty upload itself
    response = post(supervisor_api, creditor.slug, b"a,b\n1,2\n")
    assert response.status_code == 400
    assert "missing required column" in response.json()["detail"]
    assert PlacementImport.objects.get().status == "failed"


def test_agents_cannot_import(agent_api, creditor):
    assert post(agent_api, creditor.slug, csv_bytes([row()])).status_code == 403
    assert agent_api.get(URL).status_code == 403


def test_too_large_is_413(supervisor_api, creditor, settings):
    settings.PLACEMENT_UPLOAD_MAX_BYTES = 10
    response = post(supervisor_api, creditor.slug, b"x" * 100_000)
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
