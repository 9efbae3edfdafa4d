"""A person's open notification sockets, as the records' rules need them: closed when access ends.

The sockets themselves are the people side's (``workflows.consumers``); this is the one thing
the records need from them. Every socket joins its user's channel group, so one message to that
group reaches every socket the person has open, on every worker. Logging out, a password change,
an account made inactive and any change of office membership send ``session.end``: the sockets
close, and a client whose access still stands reconnects and is checked afresh. The consumer
also re-checks the session and visibility before every push, so a close that never arrives
(Redis down) still stops the pushes.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

log = logging.getLogger(__name__)

# Private close code (3000-4999): "your session ended; log in again".
SESSION_ENDED = 4001


def user_channel_group(user_id: int) -> str:
    return f"user.{user_id}"


def sockets_close(user_id: int) -> None:
    """Close every socket of the user once the current transaction commits (at once outside)."""
    transaction.on_commit(lambda: _send_close(user_id))


def _send_close(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_channel_group(user_id), {"type": "session.end"})
    except Exception as exc:
        # Best effort, like every push: the consumer's check before each push still holds.
        log.warning(
            "could not close the sockets of user %s (%s: %s)", user_id, type(exc).__name__, exc
        )


def on_logged_out(sender: Any, request: Any, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    """Django's logout hook: the session is gone, so are the sockets it opened."""
    if user is not None and user.pk is not None:
        sockets_close(user.pk)
