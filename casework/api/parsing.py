"""Reading raw request bodies before a serializer does: ids that must be resolved through a
selector first, so that "not visible" (404) is answered before "invalid" (400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.request import Request

from casework.errors import Invalid


def body(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise Invalid({"non_field_errors": _("Expected an object.")})
    return request.data


# Ids are the database's bigint: a bigger number would overflow the query (a 500), not miss.
MAX_ID = 2**63 - 1


def required_int(data: Mapping[str, Any], name: str) -> int:
    """An id from a body or a query string: a whole number from 1 to MAX_ID, else 400."""
    raw: Any = data.get(name)
    if isinstance(raw, bool) or raw in (None, ""):
        raise Invalid({name: _("This field is required.")})
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Invalid({name: _("A valid integer is required.")}) from None
    if not 1 <= value <= MAX_ID:
        raise Invalid({name: _("A valid id is a whole number from 1.")})
    return value
