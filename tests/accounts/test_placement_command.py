"""manage.py import_placements: summary, plain errors, attribution to the system user or --actor."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account
from collections_crm.history import SYSTEM_USERNAME
from tests.accounts.placement_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement_file(tmp_path):
    path = tmp_path / "placements.csv"
    path.write_bytes(csv_bytes([row(), row(account_reference="A2", principal="abc")], bom=True))
    return path


def test_command_imports_and_prints_summary(placement_file, creditor, capsys):
    call_command("import_placements", str(placement_file), "--creditor", creditor.slug, "--no-progress")
    out = capsys.readouterr().out
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert "line 3, principal" in out
    assert Account.objects.get().history.get().history_user.username == SYSTEM_USERNAME


def test_command_attributes_to_actor_and_shows_progress(placement_file, creditor, supervisor, capsys):
    call_command("import_placements", str(placement_file), "--creditor", creditor.slug, "--actor", supervisor.username)
    assert Account.objects.get().history.get().history_user == supervisor
    assert "Importing" in capsys.readouterr().err  # the tqdm bar is drawn on stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/p.csv", "--creditor", "{slug}"], "There is no file"),
        (["{file}", "--creditor", "nobody"], "No creditor with slug"),
        (["{file}", "--creditor", "{slug}", "--actor", "ghost"], "No user named"),
    ],
)
def test_command_errors_are_plain(placement_file, creditor, args, message):
    args = [a.format(slug=creditor.slug, file=placement_file) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_placements", *args, "--no-progress")


def test_unreadable_encoding_exits_with_a_message(tmp_path, creditor):
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_bytes([row()], encoding="utf-16"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_placements", str(path), "--creditor", creditor.slug, "--no-progress")
    assert not Account.objects.exists()
