"""The office meeting: scheduling, attendance, the agenda's edits, decisions and minutes.

The seed: the office meets at least monthly to highlight the cases at risk and plan the
interventions; a delicate case gets an individual meeting. A decision that moves a case or
creates work for a group is carried out here, through the same services as every other front
(``case_transition``, the office-task flow), under the case's flow lock, so the decision and its
effect are written in one transaction or not at all.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed

from casework import policies, roles
from casework.dates import api_datetime, require_within, window_error
from casework.errors import Conflict, Invalid
from casework.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    Case,
    CaseEvent,
    Decision,
    Group,
    Meeting,
    Office,
    Stage,
    User,
)
from casework.models.case import OPEN_STAGES, TRANSITIONS
from casework.selectors import (
    cases_visible_to,
    meetings_visible_to,
    user_may_see_case,
)
from casework.selectors import (
    meeting_get_for_user as meeting_get_for_user,
)
from casework.services.audit import audit_record
from casework.services.cases import case_set_functions, validate_functions
from workflows.agenda import agenda_refresh, renumber
from workflows.flows import InterventionFlow, OfficeTaskFlow
from workflows.models import CaseTask, Notification
from workflows.notify import notify

OFFICE_TASK_STAGES = (Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING)


# -- reads -------------------------------------------------------------------------------------


def agenda_items_for(user: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The listed items whose case the user may see (need to know holds on the agenda too)."""
    return (
        AgendaItem.objects.filter(meeting=meeting, removed=False)
        .filter(case__in=cases_visible_to(user).values("pk"))
        .select_related("case__student")
        .order_by("position", "id")
    )


def next_meeting(user: Any, office_id: int) -> Meeting | None:
    """The office's next regular meeting whose minutes are still open (an earlier one left
    open comes first: its minutes are what the coordinator has to finish)."""
    return (
        meetings_visible_to(user)
        .filter(office_id=office_id, kind=Meeting.Kind.REGULAR, status=Meeting.Status.SCHEDULED)
        .order_by("scheduled_for", "id")
        .first()
    )


def agenda_items_of_case(user: Any, case: Case) -> QuerySet[AgendaItem]:
    """The meetings that listed ``case`` (and the user may see), with what they decided."""
    return (
        AgendaItem.objects.filter(case=case, removed=False)
        .filter(meeting__in=meetings_visible_to(user).values("pk"))
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .prefetch_related("decisions")
        .order_by("-meeting__scheduled_for", "-id")
    )


def _coordinator(actor: Any, office_id: int) -> None:
    policies.require_run_meeting(actor, office_id)


def _still_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise Conflict(
            _("This meeting is %(status)s; its minutes can no longer change.")
            % {"status": meeting.status},
            status=meeting.status,
        )


# -- scheduling --------------------------------------------------------------------------------


def _office_members(office_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__office_id=office_id,
        memberships__active=True,
        memberships__is_external=False,
    ).distinct()


def meeting_schedule(
    *,
    office: Office,
    actor: Any,
    scheduled_for: datetime.datetime,
    kind: str = Meeting.Kind.REGULAR,
    case: Case | None = None,
    location: str = "",
    duration_minutes: int = 90,
    attendees: list[User] | None = None,
) -> Meeting:
    """Schedule a meeting and invite: the whole office to a regular one; the coordinators and
    the named attendees (who must be able to see the case) to an individual one."""
    _coordinator(actor, office.pk)
    errors: dict[str, list[str] | str] = {}
    if (late := window_error("scheduled_for", scheduled_for)) is not None:
        errors["scheduled_for"] = late
    if kind == Meeting.Kind.REGULAR and case is not None:
        errors["case"] = _("Only an individual meeting is about one case.")
    if case is not None and (case.office_id != office.pk or case.stage not in OPEN_STAGES):
        errors["case"] = _("Choose an open case of this office.")
    if kind == Meeting.Kind.INDIVIDUAL:
        for person in attendees or []:
            outsider = roles.membership_in(person, office.pk) is None
            if outsider or (case is not None and not user_may_see_case(person, case)):
                errors["attendees"] = _(
                    "%(person)s may not see this case or is not in the office."
                ) % {"person": person}
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            office=office,
            kind=kind,
            case=case,
            scheduled_for=scheduled_for,
            location=location.strip(),
            duration_minutes=duration_minutes,
            created_by=actor,
        )
        if kind == Meeting.Kind.REGULAR:
            invited = list(_office_members(office.pk))
        else:
            coordinators = _office_members(office.pk).filter(memberships__is_coordinator=True)
            invited = [*coordinators, *(attendees or [])]
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, user=u) for u in {u.pk: u for u in invited}.values()]
        )
        if case is not None:
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.MEETING,
                actor=actor,
                name="individual_meeting_scheduled",
                data={"meeting": meeting.pk, "scheduled_for": api_datetime(scheduled_for)},
            )
        agenda_refresh(meeting)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=meeting)
        notify(
            recipients=invited,
            kind=Notification.Kind.MEETING_INVITED,
            data=_meeting_message(meeting),
            exclude=actor,
        )
    return meeting


def _meeting_message(meeting: Meeting) -> dict[str, Any]:
    # No case and no names: this goes to people's sockets and calendars.
    return {
        "meeting": meeting.pk,
        "kind": meeting.kind,
        "scheduled_for": api_datetime(meeting.scheduled_for),
        "status": meeting.status,
    }


def _invited(meeting: Meeting) -> list[User]:
    return [a.user for a in meeting.attendance.select_related("user")]


def meeting_update(*, meeting: Meeting, actor: Any, **fields: Any) -> Meeting:
    """Move the meeting, change its place or length, or write the minutes' general notes."""
    _coordinator(actor, meeting.office_id)
    _still_open(meeting)
    if fields.get("scheduled_for", meeting.scheduled_for) != meeting.scheduled_for:
        require_within(scheduled_for=fields["scheduled_for"])
    moved = any(
        name in fields and fields[name] != getattr(meeting, name)
        for name in ("scheduled_for", "location", "duration_minutes")
    )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        if moved:
            meeting.sequence += 1
        meeting.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            data={"fields": sorted(fields)},
        )
        if moved:
            notify(
                recipients=_invited(meeting),
                kind=Notification.Kind.MEETING_CHANGED,
                data=_meeting_message(meeting),
                exclude=actor,
            )
    return meeting


def meeting_cancel(*, meeting: Meeting, actor: Any, reason: str = "") -> Meeting:
    _coordinator(actor, meeting.office_id)
    _still_open(meeting)
    if meeting.decisions.exists():
        raise Conflict(_("Decisions were recorded at this meeting; close its minutes instead."))
    with transaction.atomic():
        meeting.status = Meeting.Status.CANCELLED
        meeting.sequence += 1
        meeting.notes = "\n".join(filter(None, [meeting.notes, reason.strip()]))
        meeting.save()
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=meeting, data={"cancelled": True}
        )
        notify(
            recipients=_invited(meeting),
            kind=Notification.Kind.MEETING_CHANGED,
            data=_meeting_message(meeting),
            exclude=actor,
        )
    return meeting


def _get_under_way(meeting: Meeting) -> None:
    """The first attendance or decision: last refresh of the agenda, then it is frozen."""
    if meeting.started_at is None:
        agenda_refresh(meeting)
        Meeting.objects.filter(pk=meeting.pk, started_at__isnull=True).update(
            started_at=timezone.now()
        )
        meeting.refresh_from_db(fields=["started_at"])


# -- attendance --------------------------------------------------------------------------------


def attendance_record(
    *, meeting: Meeting, actor: Any, user: User, status: str, note: str = ""
) -> Attendance:
    _coordinator(actor, meeting.office_id)
    if status not in Attendance.Status.values or status == Attendance.Status.INVITED:
        raise Invalid({"status": _("Choose present, absent or excused.")})
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    if attendance is None and roles.internal_membership(user, meeting.office_id) is None:
        raise Invalid({"user": _("Only members of the office or invited people attend.")})
    _still_open(meeting)
    with transaction.atomic():
        _get_under_way(meeting)
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            user=user,
            defaults={
                "status": status,
                "note": note.strip(),
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            data={"attendance": user.pk, "status": status},
        )
    return attendance


# -- the agenda, edited by the coordinator -----------------------------------------------------


def agenda_item_add(*, meeting: Meeting, actor: Any, case: Case, note: str = "") -> AgendaItem:
    _coordinator(actor, meeting.office_id)
    if case.office_id != meeting.office_id or case.stage not in (
        Stage.SHARED,
        Stage.INTERVENTION,
        Stage.CLOSING,
    ):
        raise Invalid({"case": _("Choose a case of this office that has been shared and is open.")})
    if meeting.kind == Meeting.Kind.INDIVIDUAL and case.pk != meeting.case_id:
        raise Invalid({"case": _("An individual meeting is about its own case only.")})
    _still_open(meeting)
    with transaction.atomic():
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting, case=case, defaults={"position": 0, "added_by_hand": True}
        )
        if not created and not item.removed:
            raise Conflict(_("This case is already on the agenda."), item=item.pk)
        item.removed, item.added_by_hand, item.position = False, True, 0
        if note.strip():
            item.note = note.strip()
        item.save()
        agenda_refresh(meeting)
        renumber(meeting)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            data={"agenda_add": case.pk},
        )
    item.refresh_from_db()
    return item


def agenda_item_change(
    *, item: AgendaItem, actor: Any, priority: int | None = None, note: str | None = None
) -> AgendaItem:
    """Move an item to ``priority`` (1 = first) and/or change its note."""
    meeting = item.meeting
    _coordinator(actor, meeting.office_id)
    if priority is not None and priority < 1:
        raise Invalid({"priority": _("Priority 1 is the first item.")})
    _still_open(meeting)
    with transaction.atomic():
        if note is not None:
            AgendaItem.objects.filter(pk=item.pk).update(note=note.strip())
        if priority is not None:
            agenda_refresh(meeting)
            listed = list(
                AgendaItem.objects.filter(meeting=meeting, removed=False)
                .exclude(pk=item.pk)
                .order_by("position", "id")
            )
            listed.insert(min(priority, len(listed) + 1) - 1, item)
            for position, other in enumerate(listed, start=1):
                AgendaItem.objects.filter(pk=other.pk).update(position=position)
            Meeting.objects.filter(pk=meeting.pk).update(agenda_by_hand=True)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            data={"agenda_item": item.pk, "priority": priority, "note": note is not None},
        )
    item.refresh_from_db()
    return item


def agenda_item_remove(*, item: AgendaItem, actor: Any) -> None:
    """Take an item off the agenda; a refresh will not bring it back."""
    meeting = item.meeting
    _coordinator(actor, meeting.office_id)
    _still_open(meeting)
    if item.decisions.exists():
        raise Conflict(_("The meeting already decided about this case; it stays in the minutes."))
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(removed=True, position=0)
        renumber(meeting)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            data={"agenda_remove": item.case_id},
        )


# -- decisions ---------------------------------------------------------------------------------


def _validate_decision(kind: str, text: str, params: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str] | str] = {}
    clean: dict[str, Any] = {}
    if kind not in Decision.Kind.values:
        errors["kind"] = _("Choose one of %(choices)s.") % {
            "choices": ", ".join(Decision.Kind.values)
        }
    if not (text or "").strip():
        errors["text"] = _("Write the decision for the minutes.")
    if kind == Decision.Kind.TRANSITION:
        if params.get("transition") not in TRANSITIONS:
            errors["transition"] = _("Choose one of %(choices)s.") % {
                "choices": ", ".join(TRANSITIONS)
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
    *, meeting: Meeting, item: AgendaItem, actor: Any, kind: str, text: str, **params: Any
) -> Decision:
    """Record what the meeting decided about an agenda item, and carry it out.

    The decision row and its effect (a transition and the tasks it creates, an office task, an
    individual meeting) are written under the case's flow lock in one transaction: a refused
    transition (409) leaves no decision behind.
    """
    from workflows.services import case_transition, process_of

    _coordinator(actor, meeting.office_id)
    clean = _validate_decision(kind, text, params)
    _still_open(meeting)
    if item.removed:
        raise Conflict(_("This item was taken off the agenda."))
    case = item.case
    try:
        with InterventionFlow.lock(process_of(case).pk):
            case = Case.objects.select_related("office", "student").get(pk=case.pk)
            _get_under_way(meeting)
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
    except FlowLockFailed:
        raise Conflict(_("Someone else is changing this case right now; try again.")) from None
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
    terms = CaseTask.objects.get(task__process=process)
    return {"task": terms.pk, "group": terms.group, "title": terms.title}


# -- the minutes -------------------------------------------------------------------------------


def minutes_close(*, meeting: Meeting, actor: Any) -> Meeting:
    """Close the minutes: every listed item has a decision and everyone invited has an
    attendance. A regular meeting then schedules the next one a month later (the seed: at
    least monthly), unless the office already has one after it."""
    _coordinator(actor, meeting.office_id)
    _still_open(meeting)
    undecided = list(
        AgendaItem.objects.filter(meeting=meeting, removed=False, decisions__isnull=True)
        .order_by("position")
        .values_list("case_id", flat=True)
    )
    if undecided:
        raise Conflict(
            _("Every case on the agenda needs a decision before the minutes close."),
            undecided_cases=undecided,
        )
    unrecorded = list(
        meeting.attendance.filter(status=Attendance.Status.INVITED).values_list(
            "user_id", flat=True
        )
    )
    if unrecorded:
        raise Conflict(
            _("Record who was present, absent or excused before the minutes close."),
            attendance_missing=unrecorded,
        )
    with transaction.atomic():
        updated = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.SCHEDULED).update(
            status=Meeting.Status.HELD,
            minutes_closed_at=timezone.now(),
            minutes_closed_by=actor,
            started_at=meeting.started_at or timezone.now(),
        )
        if not updated:
            raise Conflict(_("Someone else closed or cancelled this meeting a moment ago."))
        meeting.refresh_from_db()
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=meeting, data={"minutes": "closed"}
        )
        if meeting.kind == Meeting.Kind.REGULAR:
            _schedule_next(meeting, actor)
    return meeting


def add_month(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _schedule_next(meeting: Meeting, actor: Any) -> Meeting | None:
    later = Meeting.objects.filter(
        office_id=meeting.office_id,
        kind=Meeting.Kind.REGULAR,
        scheduled_for__gt=meeting.scheduled_for,
    ).exclude(status=Meeting.Status.CANCELLED)
    if later.exists():
        return None
    when = add_month(meeting.scheduled_for)
    # Minutes closed long after the meeting: the next one is a month on from a date to come
    # (months since the meeting, a few at most).
    while when < timezone.now():
        when = add_month(when)
    if window_error("scheduled_for", when) is not None:
        return None  # further ahead than anyone schedules: the coordinator plans it by hand
    return meeting_schedule(
        office=meeting.office,
        actor=actor,
        scheduled_for=when,
        location=meeting.location,
        duration_minutes=meeting.duration_minutes,
    )


def coordinator_office(user: Any, office_id: int | None = None) -> Office:
    """The office a coordinator schedules for: the one named, or their only one."""
    seats = [m for m in roles.memberships(user) if m.is_coordinator]
    if office_id is not None:
        seats = [m for m in seats if m.office_id == office_id]
    policies.require_coordinator_seat(seats)
    if len(seats) > 1:
        raise Invalid({"office": _("You coordinate several offices; say which.")})
    return seats[0].office
