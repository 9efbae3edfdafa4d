"""Notifications: a row per recipient in the caller's transaction, pushed after commit.

The row is the truth. The websocket push is best-effort: if Redis or a socket is down, the
recipient finds the notification in the backlog sent on their next connection.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
from collections.abc import Coroutine, Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction
from viewflow.workflow.models import Task

from casework.models import Case, User
from workflows.models import Notification

log = logging.getLogger(__name__)


def user_channel_group(user_id: int) -> str:
    return f"user.{user_id}"


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    case: Case | None = None,
    task: Task | None = None,
    data: dict[str, Any] | None = None,
    exclude: Any = None,
) -> list[Notification]:
    """Store one notification per recipient (minus ``exclude``) and push them on commit."""
    exclude_id = getattr(exclude, "pk", None)
    rows = [
        Notification(recipient=user, kind=kind, case=case, task=task, data=data or {})
        for user in {u.pk: u for u in recipients if u.pk != exclude_id}.values()
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    messages = [(n.recipient_id, n.as_message()) for n in created]
    transaction.on_commit(lambda: push(messages))
    return created


def push(messages: list[tuple[int, dict[str, object]]]) -> None:
    """Send stored notifications to the recipients' open sockets; never raise."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        await asyncio.gather(
            *(
                layer.group_send(
                    user_channel_group(user_id), {"type": "notification.message", "message": msg}
                )
                for user_id, msg in messages
            )
        )

    try:
        if isinstance(layer, InMemoryChannelLayer):
            # The in-memory layer lives on the loop of the process's consumers.
            async_to_sync(send_all)()
        else:
            _push_loop.run(send_all(), timeout=PUSH_TIMEOUT)
    except Exception:
        log.warning("notification push failed; recipients get it from the backlog", exc_info=True)


# Long enough for a slow Redis, short enough that a dead one does not hold a request for the
# socket timeout: the row is stored already, and the backlog delivers it on the next connect.
PUSH_TIMEOUT = 5.0


class _PushLoop:
    """One event loop per process, on its own thread, for every push.

    channels-redis keeps its Redis connections per event loop. ``async_to_sync`` called outside
    a server (a Celery worker, a management command, a thread) makes a new thread, a new loop
    and therefore a new Redis connection for every push; this loop keeps one pool for the
    life of the process. It is re-made after a fork (Celery's prefork workers).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="notification-push", daemon=True
                ).start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, None], *, timeout: float) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop())
        try:
            future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise


_push_loop = _PushLoop()
