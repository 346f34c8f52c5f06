"""The supervisor's upload page, the import pages and the error CSV; history from a request."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Account, PlacementImport
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


def upload(client, creditor, data: bytes, name="placements.csv"):
    return client.post(
        reverse("placement-upload"), {"creditor": creditor.pk, "file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_agents_get_403_and_anonymous_are_sent_to_login(client, agent, creditor):
    assert client.get(reverse("placement-upload")).status_code == 302
    client.force_login(agent)
    for name in ("placement-upload", "placement-list"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, creditor, csv_bytes([row()])).status_code == 403
    assert not Account.objects.exists()


def test_supervisor_uploads_and_sees_counts_and_error_csv(client, supervisor, creditor):
    client.force_login(supervisor)
    page = client.get(reverse("placement-upload"))
    assert page.status_code == 200 and "Placements" in page.content.decode()
    response = upload(client, creditor, csv_bytes([row(), row(account_reference="A2", email="bad@", phone="")]))
    assert response.status_code == 302
    placement = PlacementImport.objects.get()
    assert response["Location"] == reverse("placement-detail", args=[placement.pk])
    detail = client.get(response["Location"]).content.decode()
    assert 'data-count="created">1<' in detail and 'data-count="rejected">1<' in detail
    assert reverse("placement-errors", args=[placement.pk]) in detail
    download = client.get(reverse("placement-errors", args=[placement.pk]))
    assert download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert lines[0] == ["line", "column", "value", "reason"]
    assert lines[1][:3] == ["3", "email", "bad@"]
    # History of the placed rows is attributed to the signed-in supervisor.
    assert Account.objects.get(reference="A1").history.get().history_user == supervisor
    assert "placements.csv" in client.get(reverse("placement-list")).content.decode()


def test_error_csv_neutralises_formulas(client, supervisor, creditor):
    client.force_login(supervisor)
    upload(client, creditor, csv_bytes([row(principal="=HYPERLINK(1)")]))
    placement = PlacementImport.objects.get()
    body = b"".join(client.get(reverse("placement-errors", args=[placement.pk])).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_too_large_upload_is_refused_before_reading(client, supervisor, creditor, settings):
    settings.PLACEMENT_UPLOAD_MAX_BYTES = 100
    client.force_login(supervisor)
    response = client.post(
        reverse("placement-upload"), {"creditor": creditor.pk, "file": SimpleUploadedFile("big.csv", b"x" * 200_000)}
    )
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not PlacementImport.objects.exists()


def test_file_just_over_the_cap_is_refused_by_the_form(client, supervisor, creditor, settings):
    settings.PLACEMENT_UPLOAD_MAX_BYTES = 1000
    client.force_login(supervisor)
    response = upload(client, creditor, b"x" * 1500)
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_unreadable_file_shows_the_reason(client, supervisor, creditor):
    client.force_login(supervisor)
    response = upload(client, creditor, "name;amount\n".encode("utf-16"))
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "not UTF-8" in detail
    assert not Account.objects.exists()


def test_missing_file_or_creditor_is_a_form_error(client, supervisor, creditor):
    client.force_login(supervisor)
    response = client.post(reverse("placement-upload"), {"creditor": creditor.pk})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(reverse("placement-upload"), {"creditor": 9999, "file": SimpleUploadedFile("a.csv", b"a")})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_csrf_is_still_checked(supervisor, creditor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    assert upload(client, creditor, csv_bytes([row()])).status_code == 403
    assert not Account.objects.exists()


def test_unknown_import_is_404(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("placement-detail", args=[999])).status_code == 404
