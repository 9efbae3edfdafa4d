"""A case's timeline in words, for the case page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from casework.models import CaseEvent, Function, Stage
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


def details(event: CaseEvent) -> list[str]:
    """What the person wrote when finishing a task: the triage's summary, priority, recommended
    functions and note, or what was done. Stored with the event; shown to whoever sees the case."""
    result: Any = (event.data or {}).get("result")
    if event.kind != CaseEvent.Kind.TASK or event.name != "task_completed" or not result:
        return []
    if not isinstance(result, dict):
        return []
    lines = []
    if result.get("summary"):
        lines.append(_("Summary: %(text)s") % {"text": result["summary"]})
    levels: dict[Any, str] = {
        1: pgettext("priority", "high"),
        2: pgettext("priority", "medium"),
        3: pgettext("priority", "low"),
    }
    priority = levels.get(result.get("priority"))
    if priority:
        lines.append(_("Priority: %(level)s") % {"level": priority})
    functions = dict(Function.choices)
    recommended = [str(functions.get(f, f)) for f in result.get("recommended_functions") or []]
    if recommended:
        lines.append(_("Recommended functions: %(list)s") % {"list": ", ".join(recommended)})
    if result.get("note"):
        is_triage = "summary" in result
        label = _("Note: %(text)s") if is_triage else _("What was done: %(text)s")
        lines.append(label % {"text": result["note"]})
    return lines
