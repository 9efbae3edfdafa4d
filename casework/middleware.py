"""Give every request an id, taken from a trusted proxy's X-Request-ID or made up here."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from casework.context import get_request_id, reset_request_id, set_request_id

# A proxy's id is letters, digits and ``._-``, 8 to 64 of them. Anything else (a newline that
# ``$`` would let through, markup, a 10 kB header) is junk a client made up: the request gets an
# id of our own instead, so the audit trail never stores what a caller typed.
_SAFE = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = set_request_id(incoming if _SAFE.fullmatch(incoming) else None)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = get_request_id()
            return response
        finally:
            reset_request_id(token)
