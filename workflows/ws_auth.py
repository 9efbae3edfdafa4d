"""Websocket handshake: who is connecting, and from which page.

Browsers authenticate with their session cookie and must send an Origin that is an allowed
origin — scheme, host and port alike (a foreign page cannot ride on the cookie, nor can another
service on the same host, say ``http://localhost:9999``). The allowed origins are the server's
own (the scheme of the connection and its ``Host``, itself in ALLOWED_HOSTS) and
CSRF_TRUSTED_ORIGINS, the same list Django's CSRF check trusts. Any client may authenticate with
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
from django.http.request import split_domain_port, validate_host

from casework.services.accounts import api_token_for_key

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope: dict[str, Any], wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin1"))
    return None


def _origin(scope: dict[str, Any]) -> str | None:
    return _header(scope, b"origin")


def _allowed_hosts() -> list[str]:
    return list(settings.ALLOWED_HOSTS) or (
        ["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )


def _parts(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the scheme's default port filled in; None if malformed."""
    try:
        parsed = urlparse(origin)
        port = parsed.port
    except ValueError:
        return None
    if parsed.scheme not in _DEFAULT_PORTS or not parsed.hostname:
        return None
    return parsed.scheme, parsed.hostname, port or _DEFAULT_PORTS[parsed.scheme]


def _own_origin(scope: dict[str, Any]) -> str | None:
    """The origin the browser had when it opened this socket: our scheme, its Host header."""
    host = _header(scope, b"host")
    if not host or not validate_host(split_domain_port(host)[0], _allowed_hosts()):
        return None
    secure = scope.get("scheme") in ("wss", "https")
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy is not None:
        # Behind the TLS-terminating proxy that settings trust, as Django's request.is_secure().
        name = proxy[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
        secure = _header(scope, name) == proxy[1]
    return f"{'https' if secure else 'http'}://{host}"


def origin_allowed(origin: str, scope: dict[str, Any]) -> bool:
    wanted = _parts(origin)
    if wanted is None:
        return False
    own = _own_origin(scope)
    for allowed in [*([own] if own else []), *settings.CSRF_TRUSTED_ORIGINS]:
        parts = _parts(allowed.replace("://*.", "://wildcard."))
        if parts is None or (parts[0], parts[2]) != (wanted[0], wanted[2]):
            continue
        if "://*." in allowed:
            # Django's own wildcard form: https://*.example.com trusts every subdomain.
            if wanted[1].endswith(parts[1].removeprefix("wildcard")):
                return True
        elif parts[1] == wanted[1]:
            return True
    return False


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
        if origin is not None and not origin_allowed(origin, scope):
            return await WebsocketDenier()(scope, receive, send)
        token = parse_qs(scope.get("query_string", b"").decode("latin1")).get("token", [""])[0]
        if token:
            scope = {**scope, "user": await _user_for_token(token), "auth_token": token}
            return await self.inner(scope, receive, send)
        if origin is None:
            # A cookie without an Origin is not a browser we can hold to the same-origin rule.
            return await WebsocketDenier()(scope, receive, send)
        return await self.with_session(scope, receive, send)
