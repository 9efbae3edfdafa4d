"""The notification socket: ``/ws/notifications/``.

On connect the user joins their own channel group and gets every unread notification they may
still see (the backlog), so nothing is lost while they were offline; then stored notifications
are pushed live as they are committed. Messages are ``{"type", "id", "case", "task"?, ...}``.
A client may send ``{"type": "notification.read", "id": N}`` to mark one as read.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from workflows.notify import user_channel_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group_name: str = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        self.group_name = user_channel_group(user.pk)
        # Join first, then read the backlog: a notification committed in between is sent
        # twice at worst (clients de-duplicate by id), never lost.
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        for message in await self._backlog(user):
            await self.send_json(message)

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "notification.read":
            ok = await self._mark_read(content.get("id"))
            await self.send_json({"type": "notification.read", "id": content.get("id"), "ok": ok})

    async def notification_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    @database_sync_to_async
    def _backlog(self, user: Any) -> list[dict[str, object]]:
        from workflows.selectors import unread_notifications

        return [n.as_message() for n in unread_notifications(user)[:500]]

    @database_sync_to_async
    def _mark_read(self, pk: Any) -> bool:
        from casework.errors import DomainError
        from workflows.selectors import notifications_for
        from workflows.services import notification_mark_read

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
