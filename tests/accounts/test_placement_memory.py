"""A generated 200,000-row file imports with flat memory: peak RSS of the importing process < 500 MB.
Runs in a subprocess with its own SQLite database so the measurement is of the import alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

from accounts.placement.sample import write_sample_file

ROWS = 200_000
ROOT = Path(__file__).resolve().parents[2]


def test_200k_rows_import_under_500_mb(tmp_path):
    path = write_sample_file(tmp_path / "placements.csv", ROWS, bad_every=10_000)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "collections_crm.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.accounts.placement_memory_probe", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "done"
    assert report["rejected"] == ROWS // 10_000
    assert report["created"] == report["accounts"] == ROWS - ROWS // 10_000
    assert report["peak_rss_mb"] < 500, report
