"""A case's timeline in words, for the case page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from casework.models import CaseEvent, Stage
from workflows.models import TaskName

_TASK_EVENTS = {
    "task_created": lambda t: _("Task created: %(task)s") % {"task": t},
    "task_claimed": lambda t: _("Task claimed: %(task)s") % {"task": t},
    "task_released": lambda t: _("Task given back: %(task)s") % {"task": t},
    "task_completed": lambda t: _("Task completed: %(task)s") % {"task": t},
    "task_cancelled": lambda t: _("Task cancelled: %(task)s") % {"task": t},
    "task_reassigned": lambda t: _("Task reassigned: %(task)s") % {"task": t},
    "task_escalated": lambda t: _("Task overdue, coordinators told: %(task)s") % {"task": t},
}


def describe(event: CaseEvent) -> str:
    stages = dict(Stage.choices)
    data: dict[str, Any] = event.data or {}
    if event.kind == CaseEvent.Kind.FLAGGED:
        return _("Student flagged")
    if event.kind == CaseEvent.Kind.TRANSITION:
        return _("Stage changed: %(from)s → %(to)s") % {
            "from": stages.get(event.from_stage, event.from_stage),
            "to": stages.get(event.to_stage, event.to_stage),
        }
    if event.kind == CaseEvent.Kind.TASK:
        task = dict(TaskName.choices).get(data.get("task_name", ""), data.get("task_name", ""))
        describe_task = _TASK_EVENTS.get(event.name)
        return describe_task(task) if describe_task else str(task)
    if event.kind == CaseEvent.Kind.OBJECTIVE:
        return _("SMART objective added")
    if event.kind == CaseEvent.Kind.CLOSING_REVIEW:
        return _("Closing review written")
    if event.name == "functions_changed":
        return _("Needed functions changed")
    return str(event.get_kind_display())
