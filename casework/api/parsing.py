"""Reading raw request bodies before a serializer does: ids that must be resolved through a
selector first, so that "not visible" (404) is answered before "invalid" (400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.request import Request

from casework.errors import Invalid


def body(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise Invalid({"non_field_errors": "Expected an object."})
    return request.data


def required_int(data: Mapping[str, Any], name: str) -> int:
    raw: Any = data.get(name)
    if isinstance(raw, bool) or raw in (None, ""):
        raise Invalid({name: "This field is required."})
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Invalid({name: "A valid integer is required."}) from None
