"""What the logs may hold: paths with their secrets masked, no query string values.

A calendar feed's path is its key, a questionnaire's path is the student's one-time link, and a
search (``?q=Popescu``) names a student: whoever reads the server's logs must learn none of them.
Every log line goes through ``MaskSecretsFilter`` (the console handler's filter), and the access
log is written here, by ``AccessLogMiddleware``, rather than by daphne (started with ``-v 0``),
whose own access log prints the raw path and query string.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from casework.context import get_request_id

_SECRET_PATHS = [
    (re.compile(r"(/calendar/)[^/?#\s\"']+(\.ics)"), r"\1***\2"),
    (re.compile(r"(/assessment/)[^/?#\s\"']+"), r"\1***"),
]
# Query parameters whose values are product vocabulary, never a person: kept for debugging.
_HARMLESS = {"scope", "page", "format", "kind", "status", "stage", "lang", "language"}
_PARAM = re.compile(r"([?&])([^=&#\s\"']+)=([^&#\s\"']*)")


def _mask_param(match: re.Match[str]) -> str:
    sep, name, value = match.groups()
    return f"{sep}{name}={value if name in _HARMLESS else '***'}"


def mask(text: str) -> str:
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return _PARAM.sub(_mask_param, text)


class MaskSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class ClientErrorWithoutTracebackFilter(logging.Filter):
    """A refusal (403) or a missing page (404) is the client's business: Django logs it with the
    exception, whose traceback filled the log for every button a role may not press. The line
    stays; the traceback goes. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True


access_log = logging.getLogger("action_office.access")


class AccessLogMiddleware:
    """One line per request: method, masked path, status, milliseconds, request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        access_log.info(
            "%s %s %s %dms %s",
            request.method,
            mask(request.get_full_path()),
            response.status_code,
            (time.monotonic() - started) * 1000,
            get_request_id(),
        )
        return response
