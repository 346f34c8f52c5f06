"""``manage.py verify_audit_chain``: success message, or a non-zero exit naming the first broken link."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance.audit import audit_record
from compliance.models import AuditEvent
from tests.compliance.test_audit_chain import _tamper

pytestmark = pytest.mark.django_db


def test_intact_chain(account, agent, capsys):
    for n in range(5):
        audit_record(actor=agent, action="payment.recorded", obj=account, payload={"n": n})
    call_command("verify_audit_chain", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "5 events, no broken link" in out


def test_broken_chain_names_first_broken_seq(account, agent):
    for n in range(5):
        audit_record(actor=agent, action="payment.recorded", obj=account, payload={"n": n})
    _tamper(lambda: AuditEvent.objects.filter(seq=4).update(actor_username="someone.else"))
    with pytest.raises(CommandError, match=r"BROKEN at event #4: content was changed"):
        call_command("verify_audit_chain", "--no-progress")


def test_command_exit_code_is_nonzero_when_broken(tmp_path):
    """The real process: a broken chain exits 1. Runs against a throwaway SQLite file."""
    db = tmp_path / "audit.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "collections_crm.settings.test",
           "PATH": "/usr/bin:/bin"}
    run = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*run, "migrate", "-v0"], check=True, env=env, timeout=600)
    script = (
        "from compliance.audit import audit_record;"
        "from compliance.models import AuditEvent;"
        "[audit_record(actor=None, action='auth.login_failed', payload={'n': i}) for i in range(3)];"
        "AuditEvent.objects.filter(seq=2).delete()"
    )
    subprocess.run([*run, "shell", "-c", script], check=True, env=env, timeout=300)
    done = subprocess.run([*run, "verify_audit_chain"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "#2" in done.stderr and "missing" in done.stderr
