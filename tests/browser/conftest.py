"""Browser tests: pytest-playwright driving Debian's Chromium (never Playwright's own download)
against pytest-django's live server."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls the tests make
# around it are ordinary synchronous calls, so this only silences Django's async-context guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture
def login(page, live_server):
    """Sign a back-office user in through the real login form."""

    def _login(user, password="pass-word-123"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


def pytest_collection_modifyitems(items):
    # This hook sees every collected item of the session, not only this folder's: mark browser tests only.
    here = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if not str(item.path).startswith(here + os.sep):
            continue
        item.add_marker(pytest.mark.browser)
        # Live-server tests need real transactions so the server thread sees the test's data.
        item.add_marker(pytest.mark.django_db(transaction=True))
