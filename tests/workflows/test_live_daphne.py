"""End to end: a real daphne process, real websocket clients, the API over HTTP.

Needs PostgreSQL (the server process and the test share the database); uses Redis for the
channel layer when REDIS_URL is set.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

from casework.services.accounts import api_token_issue
from tests.config.test_database_pool import _sessions, _sessions_settled
from tests.conftest import requires_postgres
from tests.factories import World, make_student, make_world
from tests.live_server import daphne, server_env

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server() -> Iterator[str]:
    with daphne(server_env()) as port:
        yield f"127.0.0.1:{port}"


def _token(user: Any) -> str:
    return api_token_issue(user=user)[1]


def _api(base: str, user: Any, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://{base}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {_token(user)}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _socket(base: str, user: Any) -> ClientConnection:
    return ws_connect(f"ws://{base}/ws/notifications/?token={_token(user)}", open_timeout=10)


def _next(conn: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(conn.recv(timeout=timeout))
    return message


def _silent(conn: ClientConnection, timeout: float = 0.5) -> bool:
    try:
        conn.recv(timeout=timeout)
    except TimeoutError:
        return True
    return False


def test_it_delivers_live_only_to_those_who_may_see_it(server: str) -> None:
    world: World = make_world()
    names = [
        "psychologist",
        "psychologist2",
        "teacher",
        "social",
        "network",
        "admin_staff",
        "coordinator",
        "form_tutor",
        "outsider",
    ]
    sockets = {name: _socket(server, world.user(name)) for name in names}
    try:
        student = make_student(world.school)
        status, case = _api(
            server,
            world.teacher,
            "/api/cases/",
            {
                "student": student.pk,
                "reason": "Absent three weeks",
                "functions": ["pedagogical"],
            },
        )
        assert status == 201
        for name in ("psychologist", "psychologist2"):
            message = _next(sockets[name])
            assert (message["type"], message["case"]) == ("task.available", case["id"])
        for name in names[2:]:
            assert _silent(sockets[name]), name

        task_id = case["tasks"][0]["id"]
        status, _ = _api(server, world.psychologist, f"/api/tasks/{task_id}/claim/", {})
        assert status == 200
        claimed = _next(sockets["psychologist2"])
        assert (claimed["type"], claimed["task"]) == ("task.claimed", task_id)
        assert _silent(sockets["psychologist"])

        # psychologist2 goes offline; what happens meanwhile waits for them.
        sockets.pop("psychologist2").close()
        other = make_student(world.school)
        status, second = _api(
            server,
            world.teacher,
            "/api/cases/",
            {
                "student": other.pk,
                "reason": "Grades falling",
                "functions": ["pedagogical"],
            },
        )
        assert status == 201
        back = _socket(server, world.psychologist2)
        sockets["psychologist2"] = back
        backlog = [_next(back), _next(back), _next(back)]
        assert [(m["type"], m["case"]) for m in backlog] == [
            ("task.available", case["id"]),
            ("task.claimed", case["id"]),
            ("task.available", second["id"]),
        ]
    finally:
        for conn in sockets.values():
            conn.close()


def test_it_refuses_anonymous_and_foreign_origin_handshakes(server: str) -> None:
    world = make_world()
    with pytest.raises(InvalidStatus):
        ws_connect(f"ws://{server}/ws/notifications/", open_timeout=5)
    with pytest.raises(InvalidStatus):
        ws_connect(
            f"ws://{server}/ws/notifications/?token={_token(world.teacher)}",
            origin="https://evil.example",  # type: ignore[arg-type]
            open_timeout=5,
        )


def test_it_checks_each_push_on_a_pooled_connection_not_a_new_one() -> None:
    """The check before each push runs on threads of its own (not the thread of the HTTP
    requests); they borrow a connection from the worker's pool and give it back, so a dozen
    checked pushes open no connection of their own."""
    world: World = make_world()
    before = _sessions()
    with daphne(server_env(DATABASE_POOL="1")) as port:
        base = f"127.0.0.1:{port}"
        listener = _socket(base, world.psychologist2)
        try:
            student = make_student(world.school)
            body = {"student": student.pk, "reason": "Absent", "functions": ["pedagogical"]}
            status, case = _api(base, world.teacher, "/api/cases/", body)
            assert status == 201
            assert _next(listener)["type"] == "task.available"
            task_id = case["tasks"][0]["id"]
            for _ in range(12):
                claim = f"/api/tasks/{task_id}/claim/"
                assert _api(base, world.psychologist, claim, {})[0] == 200
                while (message := _next(listener))["type"] != "task.claimed":
                    pass
                assert message["task"] == task_id
                release = f"/api/tasks/{task_id}/release/"
                assert _api(base, world.psychologist, release, {})[0] == 200
        finally:
            listener.close()
    opened = _sessions_settled(before) - before
    # The pool's two at start, and what concurrent requests and checks borrowed at most.
    assert opened <= 6, f"{opened} connections for 25 requests and 13 checked pushes"
