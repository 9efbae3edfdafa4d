"""Shared behaviour of the API's list views."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from casework.roles import actor_of
from casework.services.audit import audit_list


class AuditedListMixin:
    """Record which rows a list showed (the audit trail covers reads of lists too)."""

    audit_object_type = ""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        audit_list(
            actor=actor_of(request),
            object_type=self.audit_object_type,
            ids=[row["id"] for row in rows],
        )
        return response
