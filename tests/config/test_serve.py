"""`make serve`'s topology (tools/serve.py) starts, answers /health/ from several worker
processes with its Celery worker and beat beside them, serves the websocket, and stops cleanly;
its web launcher (tools/web.py) spreads the connections over the workers and replaces a worker
that dies.

About 10-20 s each: they start the real processes against the test database."""

from __future__ import annotations

import contextlib
import http.client
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


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _established_on(pid: int, port: int) -> int:
    """How many TCP connections to ``port`` the process ``pid`` holds open."""
    inodes = set()
    for fd in (Path("/proc") / str(pid) / "fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in (Path("/proc/net") / table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                # state 01: ESTABLISHED
                if local_port == port and fields[3] == "01" and fields[9] in inodes:
                    count += 1
    return count


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
        assert sum("tools/web.py --worker " in c for c in running) == 2, running
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


def test_it_spreads_connections_over_the_workers_and_replaces_one_that_dies() -> None:
    port = free_port()
    env = server_env(CHANNELS_PREFIX=f"web-test-{os.getpid()}")
    process = subprocess.Popen(
        [sys.executable, "tools/web.py", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        lines: list[str] = []

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.append(line.decode(errors="replace"))

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + 120
        while not any("web: ready at" in line for line in lines):
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        workers = _children(process.pid)
        assert len(workers) == 2

        # Sixteen keep-alive connections, as a proxy's or a burst of clients': the kernel
        # spreads them over the two sockets (all on one would be 2 chances in 65,536).
        clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(16)]
        for client in clients:
            client.request("GET", "/health/")
            assert client.getresponse().read()
        held = [_established_on(pid, port) for pid in workers]
        assert sum(held) == 16 and min(held) > 0, held
        for client in clients:
            client.close()

        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 120
        while not any("worker 0 ended" in line for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        replaced = [pid for pid in _children(process.pid) if pid not in workers]
        assert len(replaced) == 1 and len(_children(process.pid)) == 2
        # Every connection is answered, also those the kernel queued on the new worker's socket.
        for _ in range(8):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=60) as answer:
                assert answer.status == 200

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert not _descendants(process.pid)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        _wait_for_server_sessions_to_close()
