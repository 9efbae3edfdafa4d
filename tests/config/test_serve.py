"""`make serve`'s topology (tools/serve.py) starts, answers /health/ from several worker
processes with its Celery worker and beat beside them, serves the websocket, and stops cleanly.

One test, about 10-20 s: it starts the real processes against the test database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from websockets.sync.client import connect as ws_connect

from casework.services.accounts import api_token_issue
from tests.conftest import requires_postgres, requires_redis
from tests.factories import make_world
from tests.live_server import ROOT, _wait_for_server_sessions_to_close, free_port, server_env

pytestmark = [
    requires_postgres,
    requires_redis,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def _descendants(pid: int) -> list[str]:
    """Command lines of every live process below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            out.append((Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" "))
        except OSError:
            continue
        todo.extend(children.get(child, []))
    return [c.decode(errors="replace") for c in out]


def _redis_of_its_own() -> str:
    # The test's Celery worker must not take other programs' jobs from a shared broker.
    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    return f"{base}/13"


def test_it_starts_the_topology_answers_health_and_stops(tmp_path: Path) -> None:
    world = make_world()
    token = api_token_issue(user=world.psychologist)[1]
    port = free_port()
    env = server_env(
        REDIS_URL=_redis_of_its_own(),
        CHANNELS_PREFIX=f"serve-test-{os.getpid()}",
        EMAIL_URL="smtp://127.0.0.1:25",
    )
    process = subprocess.Popen(
        [
            *(sys.executable, "tools/serve.py", "--no-migrate", "--port", str(port)),
            *("--web-workers", "2", "--celery-workers", "1"),
            *("--beat-schedule", str(tmp_path / "beat-schedule")),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        lines: list[str] = []

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line.decode(errors="replace"))

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + 120  # a loaded machine imports the project slowly
        while not any("serve: ready at" in line for line in lines):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10) as answer:
            assert answer.status == 200
            assert json.loads(answer.read()) == {"status": "ok", "database": "ok", "redis": "ok"}

        running = _descendants(process.pid)
        assert sum("multiprocessing.spawn" in c for c in running) == 2, running
        assert sum(" worker " in c and "celery" in c for c in running) >= 1, running
        assert sum(" beat " in c and "celery" in c for c in running) == 1, running

        # The websocket's handshake through uvicorn's websocket protocol and Channels.
        with ws_connect(
            f"ws://127.0.0.1:{port}/ws/notifications/?token={token}", open_timeout=20
        ) as socket:
            assert socket.protocol.state.name == "OPEN"

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while _descendants(process.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _descendants(process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # tools/serve.py stops what it started
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        _wait_for_server_sessions_to_close()
