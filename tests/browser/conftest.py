"""A real server for the browser: daphne (ASGI, so the websocket works) against the test
database, with DEBUG off and the static files collected by the manifest storage, as deployed.

Browser tests need PostgreSQL (the server process shares the test database) and Debian's
Chromium at /usr/bin/chromium; they are skipped cleanly without either.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.live_server import daphne, server_env

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

requires_chromium = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() or shutil.which("chromium")),
    reason="needs Chromium (apt-get install chromium)",
)


def _env(static_root: Path) -> dict[str, str]:
    # Plain http on localhost: cookies without the Secure flag; static files as collected.
    return server_env(
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
    )


@pytest.fixture
def server(collected_static: Path) -> Iterator[str]:
    with daphne(_env(collected_static)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls (making its data) are plain synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        try:
            yield launched
        finally:
            launched.close()
            # With Playwright's loop running in this thread, the test's ORM calls got their own
            # database connection (Django keys connections by async context); close it here,
            # or the test database cannot be dropped at the end of the run.
            connections.close_all()
