"""A real daphne process serving the project against the test database (PostgreSQL), for the
end-to-end and browser tests: ASGI, so the websocket works, with DEBUG off as deployed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(**overrides: str) -> dict[str, str]:
    """The environment of a production-like server process on this test database."""
    settings = connection.settings_dict
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": (
            f"postgresql://{settings['USER'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "DEBUG": "0",
        "SECRET_KEY": "live-test-secret-key-0123456789-0123456789-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        **overrides,
    }


@contextmanager
def daphne(env: dict[str, str], *, log: Path | None = None) -> Iterator[int]:
    """Start daphne on a free port; yield the port once it accepts connections. Its stderr
    (access lines, warnings, tracebacks) goes to ``log`` when given."""
    port = free_port()
    errors = log.open("wb") if log is not None else subprocess.PIPE
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            # As deployed: the access log is the product's own, masked (config/logs.py).
            "-v",
            "0",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    try:
        # A loaded CI machine can take well over 30 s to import the project and start listening.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else str(log)
                    raise RuntimeError(error) from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        if log is not None:
            errors.close()  # type: ignore[union-attr]
        _wait_for_server_sessions_to_close()


def _wait_for_server_sessions_to_close() -> None:
    # PostgreSQL notices a killed client's connection a moment later; the test database can
    # only be dropped once it has.
    with connection.cursor() as cursor:
        for _ in range(50):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            row = cursor.fetchone()
            if not row or not row[0]:
                return
            time.sleep(0.1)
