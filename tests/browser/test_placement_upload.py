"""A supervisor uploads a small placement file with one bad row and sees what happened."""

from playwright.sync_api import expect

from tests.accounts.placement_helpers import csv_bytes, row


def test_supervisor_uploads_file_with_one_bad_row(login, page, live_server, supervisor, creditor, tmp_path):
    path = tmp_path / "placements.csv"
    path.write_bytes(csv_bytes([row(), row(account_reference="A2"), row(account_reference="A3", phone="12345")]))
    login(supervisor)
    page.get_by_role("link", name="Placements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import placements")
    page.get_by_label("Creditor").select_option(label=str(creditor))
    page.get_by_label("Placement file (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import of placements.csv")
    expect(page.locator('[data-count="created"]')).to_have_text("2")
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    expect(page.get_by_role("cell", name="not a valid phone number", exact=False)).to_be_visible()
    link = page.get_by_role("link", name="Download the problems as CSV")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert "line,column,value,reason" in download.value.path().read_text()
