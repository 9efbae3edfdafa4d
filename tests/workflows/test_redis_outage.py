"""Redis gone or frozen, with a real daphne and a real Redis of the test's own (never the shared
one): writes answer at once, the socket handshake is refused with a close code (4013, try again
later) and no traceback, and the backlog arrives once Redis is back."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from tests.conftest import requires_postgres
from tests.factories import make_student, make_world
from tests.live_server import daphne, free_port, server_env
from tests.workflows.test_live_daphne import _api, _next, _token

pytestmark = [
    requires_postgres,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),
]


class PrivateRedis:
    """A redis-server of this test's own on a free port: it may be frozen and killed."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--enable-debug-command",
                "local",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if self.cli("ping", check=False).returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, check=check
        )

    def freeze(self, seconds: float) -> subprocess.Popen[bytes]:
        """DEBUG SLEEP: the server accepts connections and answers nothing meanwhile."""
        return subprocess.Popen(
            ["redis-cli", "-p", str(self.port), "DEBUG", "SLEEP", str(seconds)],
            stdout=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.kill()


def _flag(base: str, world: Any) -> tuple[int, float]:
    body = {
        "student": make_student(world.school).pk,
        "reason": "Absent three weeks",
        "functions": ["pedagogical"],
    }
    started = time.perf_counter()
    status, _ = _api(base, world.teacher, "/api/cases/", body)
    return status, time.perf_counter() - started


def _close_code(base: str, user: Any) -> int | None:
    with ws_connect(f"ws://{base}/ws/notifications/?token={_token(user)}", open_timeout=10) as conn:
        try:
            conn.recv(timeout=10)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


def test_it_writes_at_once_and_refuses_sockets_cleanly_when_redis_is_gone(
    redis_server: PrivateRedis, tmp_path: Path
) -> None:
    world = make_world()
    log = tmp_path / "daphne.log"
    with daphne(server_env(REDIS_URL=redis_server.url), log=log) as port:
        base = f"127.0.0.1:{port}"
        assert _flag(base, world)[0] == 201  # warm: the push loop and its pool exist
        redis_server.kill()
        status, seconds = _flag(base, world)
        assert status == 201
        assert seconds < 1.0
        assert _close_code(base, world.psychologist) == 4013
    text = log.read_text()
    assert "Traceback" not in text
    assert "channel layer is unavailable" in text


def test_it_writes_at_once_while_redis_is_frozen_and_delivers_the_backlog_after(
    redis_server: PrivateRedis, tmp_path: Path
) -> None:
    world = make_world()
    with daphne(server_env(REDIS_URL=redis_server.url), log=tmp_path / "daphne.log") as port:
        base = f"127.0.0.1:{port}"
        assert _flag(base, world)[0] == 201
        sleeper = redis_server.freeze(4)
        time.sleep(0.2)  # let DEBUG SLEEP begin
        status, seconds = _flag(base, world)
        assert status == 201
        assert seconds < 1.0
        assert _close_code(base, world.psychologist) == 4013
        sleeper.wait(timeout=10)
        conn = ws_connect(
            f"ws://{base}/ws/notifications/?token={_token(world.psychologist)}", open_timeout=10
        )
        with conn:
            backlog = [_next(conn), _next(conn)]
        assert [m["type"] for m in backlog] == ["task.available", "task.available"]
