"""Request-scoped context for the audit trail: the request id of the work being done."""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str | None = None) -> contextvars.Token[str]:
    return _request_id.set(value or uuid.uuid4().hex)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
