"""Writing the audit trail. Called inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from casework.context import get_request_id
from casework.models import AuditEvent


def _school_id(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    for path in (
        "school_id",
        "office.school_id",
        "case.office.school_id",
        "student.school_id",
    ):
        value: Any = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=action,
        object_type=object_type or (obj._meta.model_name or "" if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        school_id=_school_id(obj),
        request_id=get_request_id(),
        data=data or {},
    )


def audit_list(*, actor: Any, object_type: str, ids: list[Any], **data: Any) -> AuditEvent:
    """One row for a list that was shown: which objects the reader saw."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        object_type=object_type,
        data={"ids": ids, **data},
    )
