"""The server keeps a pool of PostgreSQL connections: a hundred requests open a handful of
connections, not a hundred (each new connection costs about 5 ms and server CPU)."""

from __future__ import annotations

import http.client
import time

import pytest
from django.db import connection

from casework.services.accounts import api_token_issue
from tests.conftest import requires_postgres
from tests.factories import make_world
from tests.live_server import daphne, server_env

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REQUESTS = 100


def _sessions() -> int:
    """Sessions ever opened on the test database. A backend reports its session when it
    flushes its statistics, at the latest when it exits, so this is read after the server
    has stopped and its connections are gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def _sessions_settled(previous: int) -> int:
    # Statistics of exited backends reach the shared counters a moment after they exit.
    last, deadline = -1, time.monotonic() + 15
    while time.monotonic() < deadline:
        now = _sessions()
        if now == last and now > previous:
            return now
        last = now
        time.sleep(1)
    return last


def _serve(env: dict[str, str], token: str) -> int:
    before = _sessions()
    with daphne(env) as port:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(REQUESTS):
            client.request(
                "GET", "/api/tasks/?scope=mine", headers={"Authorization": f"Token {token}"}
            )
            response = client.getresponse()
            response.read()
            assert response.status == 200
        client.close()
    return _sessions_settled(before) - before


def test_it_opens_a_handful_of_connections_for_a_hundred_requests() -> None:
    world = make_world()
    token = api_token_issue(user=world.psychologist)[1]
    pooled = _serve(server_env(), token)
    unpooled = _serve(server_env(DATABASE_POOL="0"), token)
    assert pooled <= 5, f"{pooled} connections for {REQUESTS} requests"
    # The same count without the pool shows what the pool saves (one per request).
    assert unpooled >= REQUESTS
