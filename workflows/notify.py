"""Notifications: a row per recipient in the caller's transaction, pushed after commit.

The row is the truth. The websocket push is best-effort: if Redis or a socket is down, the
recipient finds the notification in the backlog sent on their next connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
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
        async_to_sync(send_all)()
    except Exception:
        log.warning("notification push failed; recipients get it from the backlog", exc_info=True)
