"""Logs hold no secrets: calendar keys, one-time links and searched names are masked, both in
the product's own access log and in every other line (Django's "Not Found: <path>")."""

from __future__ import annotations

import contextlib
import io
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from config.logs import MaskSecretsFilter, mask
from tests.conftest import client_for, requires_postgres
from tests.factories import World
from tests.live_server import daphne, server_env


@pytest.mark.parametrize(
    "raw,logged",
    [
        ("/calendar/Zk3-secret_token.ics", "/calendar/***.ics"),
        ("/assessment/one-time-token/", "/assessment/***/"),
        ("/api/students/?q=Popescu&page=2", "/api/students/?q=***&page=2"),
        ("/ws/notifications/?token=aot_abc", "/ws/notifications/?token=***"),
        ("/api/tasks/?scope=mine", "/api/tasks/?scope=mine"),
    ],
)
def test_it_masks_secrets_and_personal_data_in_paths(raw: str, logged: str) -> None:
    assert mask(raw) == logged


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The configured console handler, writing into a buffer for the test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskSecretsFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_it_writes_an_access_line_without_the_searched_name(
    world: World, console: io.StringIO
) -> None:
    client_for(world.coordinator).get("/api/students/?q=Popescu")
    Client().get("/calendar/secret-feed-key.ics")
    Client().get("/assessment/one-time-token/")
    lines = console.getvalue()
    assert "GET /api/students/?q=*** 200" in lines
    assert "GET /calendar/***.ics 404" in lines
    for secret in ("Popescu", "secret-feed-key", "one-time-token"):
        assert secret not in lines


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_secrets_out_of_the_served_process_log(tmp_path: Path) -> None:
    log = tmp_path / "daphne.log"
    with daphne(server_env(), log=log) as port:
        # API paths: an HTML error page would need the collected static files' manifest.
        for path in ("/api/library/?q=Popescu", "/api/students/?q=Popescu&page=2"):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
    text = log.read_text()
    assert "GET /api/library/?q=*** 401" in text
    assert "GET /api/students/?q=***&page=2 401" in text
    assert "Popescu" not in text
