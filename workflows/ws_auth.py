"""Websocket handshake: who is connecting, and from which page.

Browsers authenticate with their session cookie and must send an Origin that matches
ALLOWED_HOSTS (a foreign page cannot ride on the cookie). Any client may authenticate with
``?token=`` (the API token); with a token a missing Origin is accepted — a present one must
still match. Everyone else is refused at the handshake, before anything is sent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host

from casework.services.accounts import api_token_for_key


def _origin(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            return value.decode("latin1")
    return None


def origin_allowed(origin: str) -> bool:
    host = urlparse(origin).hostname
    if not host:
        return False
    allowed = settings.ALLOWED_HOSTS or (
        ["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    return validate_host(host, allowed)


@database_sync_to_async
def _user_for_token(key: str) -> Any:
    # The same rule as the API: an expired or revoked key, or one whose password has since
    # changed, opens nothing.
    token = api_token_for_key(key)
    return AnonymousUser() if token is None else token.user


class HandshakeAuth:
    """ASGI middleware for the websocket router: token or session, with the Origin rule."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        origin = _origin(scope)
        if origin is not None and not origin_allowed(origin):
            return await WebsocketDenier()(scope, receive, send)
        token = parse_qs(scope.get("query_string", b"").decode("latin1")).get("token", [""])[0]
        if token:
            scope = {**scope, "user": await _user_for_token(token)}
            return await self.inner(scope, receive, send)
        if origin is None:
            # A cookie without an Origin is not a browser we can hold to the same-origin rule.
            return await WebsocketDenier()(scope, receive, send)
        return await self.with_session(scope, receive, send)
