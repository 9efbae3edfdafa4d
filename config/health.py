"""``GET /health/``: whether this worker can serve, for the balancer and the service manager.

Answered first in the middleware stack, before the host check, the HTTPS redirect, sessions
and the audit trail: a probe from the balancer or from ``curl`` on the same host (plain HTTP,
``Host: 127.0.0.1``) must not be redirected or refused, and it is asked every few seconds, so
it costs one ``SELECT 1`` and, when Redis is configured, one ``PING``. It tells nothing about
the data: ``{"status": "ok", "database": "ok", "redis": "ok"}`` with 200, or 503 naming the part
that failed. Redis down is reported but still answers 200 (``"degraded"``): pages and the API
work without it (docs/DEPLOYMENT.md, "When Redis is gone"), so taking the workers out of the
balancer would turn a lost live channel into an outage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("action_office.health")

HEALTH_PATH = "/health/"

_redis_client: Any = None


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "cannot serve"; the reason goes to the log
        logger.warning("health: the database is unavailable (%s)", type(exc).__name__)
        return "unavailable"
    return "ok"


def _redis() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "absent"
    global _redis_client
    try:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        _redis_client.ping()
    except Exception as exc:
        logger.warning("health: Redis is unavailable (%s)", type(exc).__name__)
        return "unavailable"
    return "ok"


def health_status() -> tuple[int, dict[str, str]]:
    database = _database()
    redis_state = _redis()
    if database != "ok":
        return 503, {"status": "unavailable", "database": database, "redis": redis_state}
    status = "degraded" if redis_state == "unavailable" else "ok"
    return 200, {"status": status, "database": database, "redis": redis_state}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: ``GET``/``HEAD /health/`` is answered here and goes no further."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        status, body = health_status()
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response
