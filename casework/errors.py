"""Domain errors raised by services and fetch helpers; every front maps them the same way.

The contract's order: not visible → 404, visible but not allowed → 403, invalid input → 400,
not possible now (state, precondition, lost race) → 409.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class DomainError(Exception):
    status_code = 400
    default_detail = "Error."

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        self.detail = detail or self.default_detail
        self.extra = extra
        super().__init__(self.detail)

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.detail, **self.extra}


class NotFound(DomainError):
    status_code = 404
    default_detail = "Not found."


class Forbidden(DomainError):
    status_code = 403
    default_detail = "You do not have permission to do this."


class Conflict(DomainError):
    status_code = 409
    default_detail = "Not possible in the current state."


class Invalid(DomainError):
    """Invalid input; ``fields`` maps a field name to its messages."""

    status_code = 400

    def __init__(self, fields: dict[str, list[str] | str]) -> None:
        self.fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
        super().__init__("Invalid input.")

    def as_dict(self) -> dict[str, Any]:
        return dict(self.fields)


def one_of(choices: Iterable[tuple[str, Any]]) -> str:
    """The choices a message offers: each named in the reader's language, with the code an API
    client sends ("Arhivează (archive), …")."""
    return ", ".join(f"{label} ({code})" for code, label in choices)
