"""The notification socket: ``/ws/notifications/``.

On connect the user joins their own channel group and gets every unread notification they may
still see (the backlog), so nothing is lost while they were offline; then stored notifications
are pushed live as they are committed. Messages are ``{"type", "id", "case", "task"?, ...}``.
A client may send ``{"type": "notification.read", "id": N}`` to mark one as read.

A socket lives no longer than the right that opened it. Logging out, a password change, an
account made inactive or a change of membership send ``session.end`` to the user's group and
every socket of theirs closes with 4001 (``casework.sockets``). Before each push the consumer
also checks afresh — the session (or token) still stands, the account is active, and the
notification is still one the user may see — so a close lost on the way, a session that simply
expired or a referral that ended stops the pushes all the same.

Without the channel layer (Redis down or frozen) there is no live push: the socket is accepted
and closed at once with 4013 "try again later" — never a 500 with a traceback — and one line is
logged. Browsers reconnect with backoff and get the backlog when Redis is back; writes never
depend on it (the notification rows are the truth).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user
from redis.exceptions import RedisError

from casework.errors import DomainError
from casework.models import User
from casework.services.accounts import api_token_for_key
from casework.sockets import SESSION_ENDED
from workflows.notification_text import notification_message
from workflows.notify import user_channel_group
from workflows.selectors import notification_visible_to, notifications_for, unread_notifications
from workflows.services import notification_mark_read

log = logging.getLogger(__name__)

# What the channel layer raises when Redis is gone (refused, reset, timed out).
LAYER_DOWN = (RedisError, OSError, asyncio.TimeoutError)
# 1013 is the standard's "try again later", but a server application may only send 1000 or
# 3000-4999 (daphne's autobahn refuses the rest): the same meaning in the private range.
TRY_AGAIN_LATER = 4013
# A frozen Redis answers nothing: joining the user's group waits at most this long.
LAYER_TIMEOUT = 2.0
# The check before each push runs on threads of its own (thread_sensitive=False), not on the
# one thread that runs the Django code of every HTTP request of this process: a push no longer
# queues behind the requests in flight (docs/PERFORMANCE.md, "Notifications: latency"). Each
# check takes a connection from the process's pool and gives it back when it ends (channels
# closes old connections around every call: with the pool, CONN_MAX_AGE is 0 and closing
# returns the connection), so these threads hold none between pushes.
VERDICT_THREADS = 2
_verdicts = ThreadPoolExecutor(max_workers=VERDICT_THREADS, thread_name_prefix="push-verdict")


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group_name: str = ""
    accepted = False
    closed = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except LAYER_DOWN as exc:
            log.warning(
                "notification socket closed with %s: the channel layer is unavailable (%s: %s)",
                TRY_AGAIN_LATER,
                type(exc).__name__,
                exc,
            )
            try:
                if not self.accepted:
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
            except Exception:  # the client has gone already
                log.debug("socket gone before it could be closed", exc_info=True)

    async def accept(self, subprotocol: str | None = None, headers: Any = None) -> None:
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.group_name = user_channel_group(user.pk)
        # Join first, then read the backlog: a notification committed in between is sent
        # twice at worst (clients de-duplicate by id), never lost.
        await asyncio.wait_for(
            self.channel_layer.group_add(self.group_name, self.channel_name), LAYER_TIMEOUT
        )
        await self.accept()
        for message in await self._backlog(user):
            await self.send_json(message)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            # Without Redis the membership expires there by itself (channels-redis' group expiry).
            with contextlib.suppress(*LAYER_DOWN):
                await asyncio.wait_for(
                    self.channel_layer.group_discard(self.group_name, self.channel_name),
                    LAYER_TIMEOUT,
                )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "notification.read":
            ok = await self._mark_read(content.get("id"))
            await self.send_json({"type": "notification.read", "id": content.get("id"), "ok": ok})

    async def notification_message(self, event: dict[str, Any]) -> None:
        if self.closed:
            return
        verdict = await self._may_push(event["message"])
        if verdict == "close":
            await self.session_end({})
        elif verdict == "send":
            await self.send_json(event["message"])

    async def session_end(self, event: dict[str, Any]) -> None:
        """The user's session or rights ended: close; a client still entitled reconnects."""
        if not self.closed:
            self.closed = True
            await self.close(code=SESSION_ENDED)

    async def _may_push(self, message: dict[str, Any]) -> str:
        check = database_sync_to_async(push_verdict, thread_sensitive=False, executor=_verdicts)
        return str(await check(self.scope, message))

    @database_sync_to_async
    def _backlog(self, user: User) -> list[dict[str, object]]:
        return [notification_message(n) for n in unread_notifications(user)[:500]]

    @database_sync_to_async
    def _mark_read(self, pk: Any) -> bool:
        try:
            notification = notifications_for(self.scope["user"]).filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return False
        if notification is None:
            return False
        try:
            notification_mark_read(notification=notification, actor=self.scope["user"])
        except DomainError:
            return False
        return True


def push_verdict(scope: dict[str, Any], message: dict[str, Any]) -> str:
    """``send``, ``skip`` (not about something the user may see now) or ``close`` (what
    authenticated the socket no longer stands)."""
    user = _current_user(scope)
    if user is None:
        return "close"
    # A fresh user object: memberships are read again, not taken from the socket's start.
    visible = notification_visible_to(
        user, int(message.get("id") or 0), str(message.get("type") or "")
    )
    return "send" if visible else "skip"


def _current_user(scope: dict[str, Any]) -> Any:
    """The socket's user if what authenticated it still stands; None otherwise."""
    user_id = scope["user"].pk
    token = scope.get("auth_token")
    user: User | None
    if token:
        # Expired or revoked since the handshake: the socket gets nothing more.
        found = api_token_for_key(token)
        user = found.user if found is not None and found.user_id == user_id else None
    else:
        session = scope.get("session")
        if session is None or session.session_key is None:
            return None
        # Re-read the stored session: logged out, expired or signed by an old password
        # (get_user checks the session hash) all come back as anonymous.
        fresh = session.__class__(session.session_key)
        fresh_user = get_user(_SessionOnly(fresh))  # type: ignore[arg-type]
        user = fresh_user if isinstance(fresh_user, User) and fresh_user.pk == user_id else None
    return user if user is not None and user.is_active else None


class _SessionOnly:
    """What ``django.contrib.auth.get_user`` reads from a request: its session."""

    def __init__(self, session: Any) -> None:
        self.session = session
