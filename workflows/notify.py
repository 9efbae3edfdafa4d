"""Notifications: a row per recipient in the caller's transaction, pushed after commit.

The row is the truth. The websocket push is best-effort: if Redis or a socket is down, the
recipient finds the notification in the backlog sent on their next connection.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import threading
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.compiled import Bound
from casework.models import Case, User
from casework.sockets import user_channel_group as user_channel_group
from workflows.models import Notification
from workflows.notification_text import notification_message

log = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User] | Bound,
    kind: str,
    case: Case | None = None,
    task: Task | None = None,
    data: dict[str, Any] | None = None,
    exclude: Any = None,
) -> list[Notification]:
    """Store one notification per recipient (minus ``exclude``) and push them on commit.

    Recipients given as a query are not read first: one ``INSERT … SELECT`` stores a row for
    each of them and returns what the push needs. A ``Bound`` is that SELECT of the distinct
    recipients' ids already compiled, its exclusion included (``users_offered_ids``).
    """
    exclude_id = getattr(exclude, "pk", None)
    if isinstance(recipients, QuerySet):
        users: QuerySet[Any] = recipients.order_by().values("pk").distinct()
        if exclude_id is not None:
            users = users.exclude(pk=exclude_id)
        recipients = Bound(*users.query.sql_with_params())
    if isinstance(recipients, Bound):
        return _notify_selected(recipients, kind, case, task, data or {})
    rows = [
        Notification(recipient=user, kind=kind, case=case, task=task, data=data or {})
        for user in {u.pk: u for u in recipients if u.pk != exclude_id}.values()
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    messages = [(n.recipient_id, notification_message(n)) for n in created]
    transaction.on_commit(lambda: push(messages))
    return created


def _notify_selected(
    recipients: Bound,
    kind: str,
    case: Case | None,
    task: Task | None,
    data: dict[str, Any],
) -> list[Notification]:
    using = router.db_for_write(Notification)
    users_sql, users_params = recipients
    now = timezone.now()
    connection = connections[using]
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ("kind", "case", "task", "data", "created_at")
    if connection.vendor == "postgresql":  # a bare parameter in a select list would be text
        values = ", ".join(
            f"CAST(%s AS {Notification._meta.get_field(name).db_type(connection)})"
            for name in columns
        )
    else:
        values = ", ".join("%s" for _ in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, kind, case_id, task_id, data, created_at, "
            f"read_at) SELECT recipient.pk, {values}, NULL FROM ({users_sql}) "
            "AS recipient RETURNING id, recipient_id",
            [
                kind,
                getattr(case, "pk", None),
                getattr(task, "pk", None),
                json.dumps(data),
                connection.ops.adapt_datetimefield_value(now),
                *users_params,
            ],
        )
        inserted = cursor.fetchall()
    created = [
        Notification(
            pk=pk,
            recipient_id=recipient_id,
            kind=kind,
            case=case,
            task=task,
            data=data,
            created_at=now,
        )
        for pk, recipient_id in inserted
    ]
    for notification in created:
        notification._state.adding, notification._state.db = False, using
    if created:
        # What happened in words and where to look are the same for every recipient: made once,
        # as the other path makes them for each row (a live toast reads them; a kind that
        # carries its own ``text`` in data would otherwise show that raw).
        words = notification_message(created[0])
        shared = {"text": words["text"], "url": words["url"]}
        messages = [(n.recipient_id, {**n.as_message(), **shared}) for n in created]
        transaction.on_commit(lambda: push(messages), using=using)
    return created


def push(messages: list[tuple[int, dict[str, object]]]) -> concurrent.futures.Future[None] | None:
    """Send stored notifications to the recipients' open sockets; never raise, never wait.

    With a network layer the push is handed to the push loop and the caller goes on at once:
    a frozen Redis once held every write that notifies for the push's timeout (~6 s). The
    returned future is for tests and benchmarks; nothing in the product waits on it.
    """
    layer = get_channel_layer()
    if layer is None or not messages:
        return None

    async def send_all() -> None:
        await asyncio.gather(
            *(
                layer.group_send(
                    user_channel_group(user_id), {"type": "notification.message", "message": msg}
                )
                for user_id, msg in messages
            )
        )

    if isinstance(layer, InMemoryChannelLayer):
        # The in-memory layer lives on the loop of the process's consumers, in memory: instant.
        try:
            async_to_sync(send_all)()
        except Exception:
            log.warning(FAILED, exc_info=True)
        return None
    return _push_loop.submit(send_all, timeout=PUSH_TIMEOUT)


FAILED = "notification push failed; recipients get it from the backlog"

# Long enough for a slow Redis; the push runs beside the request, so this bounds only how long
# a push may hold a place among those in flight.
PUSH_TIMEOUT = 5.0
# Pushes in flight at once per process; beyond that (Redis frozen under load) new pushes are
# dropped at once — each notification is a stored row, and the backlog delivers it.
MAX_IN_FLIGHT = 500


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
        self.in_flight = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="notification-push", daemon=True
                ).start()
                self._loop, self._pid, self.in_flight = loop, os.getpid(), 0
            return self._loop

    def submit(
        self, send: Callable[[], Coroutine[Any, Any, None]], *, timeout: float
    ) -> concurrent.futures.Future[None] | None:
        """Start ``send()`` on the loop with a time limit; return without waiting for it."""
        loop = self.loop()
        with self._lock:
            if self.in_flight >= MAX_IN_FLIGHT:
                log.warning("%s (%s pushes already waiting)", FAILED, self.in_flight)
                return None
            self.in_flight += 1
        return asyncio.run_coroutine_threadsafe(self._bounded(send, timeout), loop)

    async def _bounded(self, send: Callable[[], Coroutine[Any, Any, None]], timeout: float) -> None:
        try:
            await asyncio.wait_for(send(), timeout)
        except Exception as exc:
            # One line, no traceback: with Redis down this happens on every write.
            log.warning("%s (%s: %s)", FAILED, type(exc).__name__, exc)
        finally:
            with self._lock:
                self.in_flight -= 1


_push_loop = _PushLoop()
