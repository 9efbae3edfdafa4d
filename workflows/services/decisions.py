"""What the office meeting decides about a case, carried out at once.

A decision that moves a case or creates work for a group is carried out through the same
services as every other front (``case_transition``, the office-task flow), under the case's
lock, so the decision and its effect are written in one transaction or not at all.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from casework.dates import window_error
from casework.errors import Conflict, Invalid, one_of
from casework.models import AuditEvent, Case, CaseEvent, Group, Stage, User
from casework.models.case import TRANSITION_LABELS, TRANSITIONS
from casework.services.audit import audit_record
from casework.services.cases import case_set_functions, validate_functions
from workflows.flows import OfficeTaskFlow
from workflows.locking import case_lock
from workflows.models import AgendaItem, CaseTask, Decision, Meeting
from workflows.services.cases import case_transition
from workflows.services.meetings import (
    get_under_way,
    meeting_schedule,
    require_begun,
    require_coordinator,
    require_open,
)

OFFICE_TASK_STAGES = (Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING)


def _validate_decision(kind: str, text: str, params: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str] | str] = {}
    clean: dict[str, Any] = {}
    if kind not in Decision.Kind.values:
        errors["kind"] = _("Choose one of %(choices)s.") % {
            "choices": one_of(Decision.Kind.choices)
        }
    if not (text or "").strip():
        errors["text"] = _("Write the decision for the minutes.")
    if kind == Decision.Kind.TRANSITION:
        if params.get("transition") not in TRANSITIONS:
            errors["transition"] = _("Choose one of %(choices)s.") % {
                "choices": one_of(TRANSITION_LABELS.items())
            }
        clean["transition"] = params.get("transition")
        clean["cancel_open_tasks"] = bool(params.get("cancel_open_tasks"))
    elif kind == Decision.Kind.TASK:
        group = params.get("group")
        if isinstance(group, bool) or group not in Group.values:
            errors["group"] = _("Choose the group: 1, 2, 3 or 4.")
        title = str(params.get("title") or "").strip()
        if not title:
            errors["title"] = _("Say what the task is.")
        due = params.get("due")
        if (late := window_error("due", due)) is not None:
            errors["due"] = late
        clean.update(group=group, title=title[:200], due=due.isoformat() if due else None)
    elif kind == Decision.Kind.INDIVIDUAL_MEETING:
        if params.get("scheduled_for") is None:
            errors["scheduled_for"] = _("Say when the individual meeting takes place.")
        elif (late := window_error("scheduled_for", params["scheduled_for"])) is not None:
            errors["scheduled_for"] = late
        clean["scheduled_for"] = params.get("scheduled_for")
        clean["attendees"] = params.get("attendees") or []
    elif kind == Decision.Kind.FUNCTIONS:
        try:
            clean["functions"] = validate_functions(params.get("functions"))
        except Invalid as invalid:
            errors.update(invalid.fields)
    if errors:
        raise Invalid(errors)
    return clean


def decision_record(
    *, meeting: Meeting, item: AgendaItem, actor: User, kind: str, text: str, **params: Any
) -> Decision:
    """Record what the meeting decided about an agenda item, and carry it out.

    The decision row and its effect (a transition and the tasks it creates, an office task, an
    individual meeting) are written under the case's flow lock in one transaction: a refused
    transition (409) leaves no decision behind.
    """
    require_coordinator(actor, meeting.office_id)
    clean = _validate_decision(kind, text, params)
    require_open(meeting)
    require_begun(meeting)
    if item.removed:
        raise Conflict(_("This item was taken off the agenda."))
    case = item.case
    with case_lock(case):
        case = Case.objects.select_related("office", "student").get(pk=case.pk)
        get_under_way(meeting)
        decision = Decision.objects.create(
            meeting=meeting,
            item=item,
            case=case,
            kind=kind,
            text=text.strip(),
            recorded_by=actor,
        )
        data: dict[str, Any] = {}
        if kind == Decision.Kind.TRANSITION:
            event = case_transition(
                case=case,
                name=clean["transition"],
                actor=actor,
                note=text.strip(),
                cancel_open_tasks=clean["cancel_open_tasks"],
            )
            data = {"transition": event.name, "from": event.from_stage, "to": event.to_stage}
        elif kind == Decision.Kind.TASK:
            data = _start_office_task(case, meeting, decision, clean)
        elif kind == Decision.Kind.INDIVIDUAL_MEETING:
            individual = meeting_schedule(
                office=meeting.office,
                actor=actor,
                scheduled_for=clean["scheduled_for"],
                kind=Meeting.Kind.INDIVIDUAL,
                case=case,
                attendees=clean["attendees"],
            )
            data = {"meeting": individual.pk}
        elif kind == Decision.Kind.FUNCTIONS:
            case_set_functions(
                case=case, actor=actor, functions=clean["functions"], why=text.strip()
            )
            data = {"functions": clean["functions"]}
        decision.data = data
        decision.save(update_fields=["data"])
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.MEETING,
            actor=actor,
            name="meeting_decision",
            note=decision.text,
            data={"meeting": meeting.pk, "decision": decision.pk, "kind": kind, **data},
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=decision)
    return decision


def _start_office_task(
    case: Case, meeting: Meeting, decision: Decision, clean: dict[str, Any]
) -> dict[str, Any]:
    if case.stage not in OFFICE_TASK_STAGES:
        raise Conflict(
            _("Tasks are decided for cases that are shared, in intervention or closing."),
            stage=case.stage,
        )
    process = OfficeTaskFlow.start.run(
        case_id=case.pk,
        data={
            "group": int(clean["group"]),
            "title": clean["title"],
            "due": clean["due"],
            "meeting": meeting.pk,
            "decision": decision.pk,
        },
    )
    case_task = CaseTask.objects.get(task__process=process)
    return {"task": case_task.pk, "group": case_task.group, "title": case_task.title}
