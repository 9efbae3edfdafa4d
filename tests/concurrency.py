"""Helpers for the PostgreSQL race tests: API calls started together from separate threads."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from tests.conftest import client_for


def race(calls: list[tuple[Any, str, str, dict[str, Any] | None]]) -> list[int]:
    """Run ``(user, method, path, body)`` calls at the same moment; their statuses, in the
    order they finished. Each thread has its own database connection, closed at the end."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(user: Any, method: str, path: str, body: dict[str, Any] | None) -> None:
        client = client_for(user)
        try:
            barrier.wait()
            status = getattr(client, method)(path, body, format="json").status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
