"""A real Celery worker for tests: ``celery -A collections_crm worker`` in a subprocess, against the
configured broker (CELERY_BROKER_URL; Redis in the PostgreSQL pass) and the test database that
pytest-django created, so tasks run exactly as in production: another process, another connection,
only committed data visible.

Use the ``celery_worker`` fixture in tests that need ``transactional_db`` and mark them
``@pytest.mark.postgres`` and ``@pytest.mark.celery_worker``::

    @pytest.mark.postgres
    @pytest.mark.celery_worker
    def test_something(transactional_db, celery_worker):
        my_task.delay(...)
        celery_worker.wait_until(lambda: ...)

Each worker consumes its own queue (``task_default_queue`` is pointed at it while the fixture is
active), so parallel test processes sharing one broker never take each other's tasks. Need two
workers or more concurrency? Call :func:`run_celery_worker` directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    """DATABASE_URL for the database pytest-django created (``test_<name>``), not the configured one."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("A real Celery worker needs PostgreSQL: mark the test @pytest.mark.postgres.")
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{quote(db['NAME'], safe='')}"


@dataclass
class CeleryWorker:
    """A running worker subprocess: its queue and everything it has logged so far."""

    process: subprocess.Popen
    queue: str
    output: list[str] = field(default_factory=list)

    @property
    def log(self) -> str:
        return "".join(self.output)

    def wait_until(self, condition: Callable[[], object], *, timeout: float = 60, interval: float = 0.2):
        """Poll ``condition`` until it is truthy (returns its value); fail with the worker log if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker exited (code {self.process.returncode}):\n{self.log}")
            time.sleep(interval)
        pytest.fail(f"Timed out after {timeout} s waiting on the Celery worker. Its log:\n{self.log}")


@contextmanager
def run_celery_worker(
    *, queue: str | None = None, concurrency: int = 1, pool: str = "prefork", ready_timeout: float = 60
) -> Iterator[CeleryWorker]:
    """Start a worker on its own queue, wait until it is ready, route .delay() to it; stop it after."""
    from collections_crm.celery import app

    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # tasks the worker enqueues itself stay on its queue
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "collections_crm", "worker", "--loglevel=INFO",
        f"--pool={pool}", f"--concurrency={concurrency}", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    worker = CeleryWorker(process=process, queue=queue)
    ready = threading.Event()

    def read_output():
        for line in process.stdout:
            worker.output.append(line)
            if " ready." in line:
                ready.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    try:
        deadline = time.monotonic() + ready_timeout
        while not ready.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start (exit code {process.poll()}):\n{worker.log}")
        app.conf.task_always_eager = False
        app.conf.task_default_queue = queue
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        process.terminate()  # warm shutdown: finishes the task in hand, closes its DB connections
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        reader.join(timeout=5)


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[CeleryWorker]:
    """A real worker subprocess on the test database; tasks sent with .delay() go to it."""
    with run_celery_worker() as worker:
        yield worker
