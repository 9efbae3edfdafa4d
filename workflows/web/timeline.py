"""A case's timeline in words, for the case page: each event named for what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from casework import stored_text
from casework.models import CaseEvent, Consent, Function, Objective, SignalKind, Stage
from casework.models.plan import Area
from workflows.models import Decision, TaskName

Describe = Callable[[CaseEvent], str]


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _task(event: CaseEvent) -> str:
    return _label(TaskName.choices, (event.data or {}).get("task_name", ""))


def _transition(event: CaseEvent) -> str:
    return _("Stage changed: %(from)s → %(to)s") % {
        "from": _label(Stage.choices, event.from_stage),
        "to": _label(Stage.choices, event.to_stage),
    }


def _signal(event: CaseEvent) -> str:
    if event.name == "signals_imported":
        return _("Signals imported from a file")
    kind = _label(SignalKind.choices, (event.data or {}).get("kind") or event.name)
    if event.name.endswith("_updated"):
        return _("Signal corrected: %(kind)s") % {"kind": kind}
    return _("Signal recorded: %(kind)s") % {"kind": kind}


def _objective_reviewed(event: CaseEvent) -> str:
    status = _label(Objective.Status.choices, (event.data or {}).get("to"))
    return _("Progress reviewed: %(status)s") % {"status": status}


def _objective_changed(event: CaseEvent) -> str:
    changed = (event.data or {}).get("changed") or {}
    fields = {f.name: f.verbose_name for f in Objective._meta.concrete_fields}
    names = [str(fields[name]) for name in changed if name in fields]
    if not names:
        return _("SMART objective changed")
    return _("SMART objective changed: %(fields)s") % {"fields": ", ".join(names)}


def _decision(event: CaseEvent) -> str:
    kind = _label(Decision.Kind.choices, (event.data or {}).get("kind"))
    return _("Meeting decision: %(kind)s") % {"kind": kind}


def _individual_meeting(event: CaseEvent) -> str:
    when = parse_datetime((event.data or {}).get("scheduled_for") or "")
    if when is None:
        return _("Individual meeting scheduled")
    return _("Individual meeting scheduled for %(when)s") % {
        "when": formats.date_format(when, "DATETIME_FORMAT")
    }


def _assessment(event: CaseEvent) -> str:
    return _("Assessment recorded: %(area)s") % {
        "area": _label(Area.choices, (event.data or {}).get("area"))
    }


def _consent(event: CaseEvent) -> str:
    scope = _label(Consent.Scope.choices, (event.data or {}).get("scope"))
    if event.name == "consent_withdrawn":
        return _("Consent withdrawn: %(scope)s") % {"scope": scope}
    return _("Consent recorded: %(scope)s") % {"scope": scope}


# (kind, name) → what the line says. A name the code writes and this table lacks fails
# tests/workflows/test_timeline_words.py, which reads every writer.
_BY_NAME: dict[tuple[str, str], Describe] = {
    (CaseEvent.Kind.FLAGGED, "flag"): lambda e: _("Student flagged"),
    (CaseEvent.Kind.OBJECTIVE, "objective_added"): lambda e: _("SMART objective added"),
    (CaseEvent.Kind.OBJECTIVE, "objective_reviewed"): _objective_reviewed,
    (CaseEvent.Kind.OBJECTIVE, "objective_changed"): _objective_changed,
    (CaseEvent.Kind.OBJECTIVE, "objective_removed"): lambda e: _("SMART objective removed"),
    (CaseEvent.Kind.CLOSING_REVIEW, "closing_review"): lambda e: _("Closing review written"),
    (CaseEvent.Kind.SIGNAL, "signals_imported"): _signal,
    (CaseEvent.Kind.MEETING, "meeting_decision"): _decision,
    (CaseEvent.Kind.MEETING, "individual_meeting_scheduled"): _individual_meeting,
    (CaseEvent.Kind.ASSESSMENT, "assessment_recorded"): _assessment,
    (CaseEvent.Kind.NOTE, "consent_recorded"): _consent,
    (CaseEvent.Kind.NOTE, "consent_withdrawn"): _consent,
    (CaseEvent.Kind.NOTE, "library_drafted"): lambda e: _("Library entry drafted"),
    (CaseEvent.Kind.NOTE, "library_published"): lambda e: _("Library entry published"),
    (CaseEvent.Kind.NOTE, "functions_changed"): lambda e: _("Needed functions changed"),
    (CaseEvent.Kind.TASK, "task_created"): lambda e: (
        _("Task created: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_claimed"): lambda e: (
        _("Task claimed: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_released"): lambda e: (
        _("Task given back: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_completed"): lambda e: (
        _("Task completed: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_cancelled"): lambda e: (
        _("Task cancelled: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_reassigned"): lambda e: (
        _("Task reassigned: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.TASK, "task_escalated"): lambda e: (
        _("Task overdue, coordinators told: %(task)s") % {"task": _task(e)}
    ),
    (CaseEvent.Kind.REFERRAL, "referral_requested"): lambda e: _("Referral requested"),
    (CaseEvent.Kind.REFERRAL, "referral_accepted"): lambda e: _("Referral accepted"),
    (CaseEvent.Kind.REFERRAL, "referral_rejected"): lambda e: _("Referral rejected"),
    (CaseEvent.Kind.REFERRAL, "referral_done"): lambda e: _("Referral carried out"),
    (CaseEvent.Kind.REFERRAL, "referral_revoked"): lambda e: _("Referral revoked"),
}
# Names made from a value: every transition, every kind of signal (recorded or corrected).
for _name in ("share", "start_intervention", "start_closing", "archive", "withdraw"):
    _BY_NAME[(CaseEvent.Kind.TRANSITION, _name)] = _transition
for _kind in SignalKind.values:
    _BY_NAME[(CaseEvent.Kind.SIGNAL, _kind)] = _signal
    _BY_NAME[(CaseEvent.Kind.SIGNAL, f"{_kind}_updated")] = _signal

EVENT_NAMES = frozenset(_BY_NAME)

# The areas built on top (support, ...) name the events they write on a case's timeline, from
# their AppConfig.ready (this module cannot import them). A words function answers for the
# events it knows and None for the others.
AREA_EVENT_WORDS: list[Callable[[CaseEvent], str | None]] = []


def describe(event: CaseEvent) -> str:
    found = _BY_NAME.get((event.kind, event.name))
    if found is not None:
        return found(event)
    for words in AREA_EVENT_WORDS:
        text = words(event)
        if text is not None:
            return text
    if event.kind == CaseEvent.Kind.TRANSITION:
        return _transition(event)
    return str(event.get_kind_display())


def note(event: CaseEvent) -> str:
    """The event's note in the reader's language when the code wrote it; as written when a
    person did."""
    return stored_text.shown(event.note)


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
