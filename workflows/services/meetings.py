"""The office meeting: scheduling, attendance, the agenda's edits and the minutes.

The seed: the office meets at least monthly to highlight the cases at risk and plan the
interventions; a delicate case gets an individual meeting. The decisions, which move cases and
create work, are ``workflows.services.decisions``.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework import policies, roles
from casework.dates import api_datetime, require_within, window_error
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Office, Stage, User
from casework.models.case import OPEN_STAGES
from casework.selectors import user_may_see_case
from casework.services.audit import audit_record
from workflows.agenda import agenda_refresh, renumber
from workflows.models import AgendaItem, Attendance, Meeting, Notification
from workflows.notify import notify


def require_coordinator(actor: User, office_id: int) -> None:
    policies.require_run_meeting(actor, office_id)


def require_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise Conflict(
            _("This meeting is %(status)s; its minutes can no longer change.")
            % {"status": meeting.status},
            status=meeting.status,
        )


def require_begun(meeting: Meeting) -> None:
    """Decisions and the closing of the minutes record what a meeting did: not before its day."""
    if not meeting.has_begun:
        raise Conflict(
            _(
                "This meeting takes place on %(date)s; its decisions are recorded and its minutes "
                "closed from that day on."
            )
            % {"date": date_format(timezone.localtime(meeting.scheduled_for), "SHORT_DATE_FORMAT")},
            scheduled_for=api_datetime(meeting.scheduled_for),
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
    actor: User,
    scheduled_for: datetime.datetime,
    kind: str = Meeting.Kind.REGULAR,
    case: Case | None = None,
    location: str = "",
    duration_minutes: int = 90,
    attendees: list[User] | None = None,
) -> Meeting:
    """Schedule a meeting and invite: the whole office to a regular one; the coordinators and
    the named attendees (who must be able to see the case) to an individual one."""
    require_coordinator(actor, office.pk)
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


def meeting_update(*, meeting: Meeting, actor: User, **fields: Any) -> Meeting:
    """Move the meeting, change its place or length, or write the minutes' general notes."""
    require_coordinator(actor, meeting.office_id)
    require_open(meeting)
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


def meeting_cancel(*, meeting: Meeting, actor: User, reason: str = "") -> Meeting:
    require_coordinator(actor, meeting.office_id)
    require_open(meeting)
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


def get_under_way(meeting: Meeting) -> None:
    """The first attendance or decision: last refresh of the agenda, then it is frozen."""
    if meeting.started_at is None:
        agenda_refresh(meeting)
        Meeting.objects.filter(pk=meeting.pk, started_at__isnull=True).update(
            started_at=timezone.now()
        )
        meeting.refresh_from_db(fields=["started_at"])


# -- attendance --------------------------------------------------------------------------------


def attendance_record(
    *, meeting: Meeting, actor: User, user: User, status: str, note: str = ""
) -> Attendance:
    require_coordinator(actor, meeting.office_id)
    if status not in Attendance.Status.values or status == Attendance.Status.INVITED:
        raise Invalid({"status": _("Choose present, absent or excused.")})
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    if attendance is None and roles.internal_membership(user, meeting.office_id) is None:
        raise Invalid({"user": _("Only members of the office or invited people attend.")})
    require_open(meeting)
    with transaction.atomic():
        get_under_way(meeting)
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


def agenda_item_add(*, meeting: Meeting, actor: User, case: Case, note: str = "") -> AgendaItem:
    require_coordinator(actor, meeting.office_id)
    if case.office_id != meeting.office_id or case.stage not in (
        Stage.SHARED,
        Stage.INTERVENTION,
        Stage.CLOSING,
    ):
        raise Invalid({"case": _("Choose a case of this office that has been shared and is open.")})
    if meeting.kind == Meeting.Kind.INDIVIDUAL and case.pk != meeting.case_id:
        raise Invalid({"case": _("An individual meeting is about its own case only.")})
    require_open(meeting)
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
    *, item: AgendaItem, actor: User, priority: int | None = None, note: str | None = None
) -> AgendaItem:
    """Move an item to ``priority`` (1 = first) and/or change its note."""
    meeting = item.meeting
    require_coordinator(actor, meeting.office_id)
    if priority is not None and priority < 1:
        raise Invalid({"priority": _("Priority 1 is the first item.")})
    require_open(meeting)
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


def agenda_item_remove(*, item: AgendaItem, actor: User) -> None:
    """Take an item off the agenda; a refresh will not bring it back."""
    meeting = item.meeting
    require_coordinator(actor, meeting.office_id)
    require_open(meeting)
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


# -- the minutes -------------------------------------------------------------------------------


def minutes_close(*, meeting: Meeting, actor: User) -> Meeting:
    """Close the minutes: every listed item has a decision and everyone invited has an
    attendance. A regular meeting then schedules the next one a month later (the seed: at
    least monthly), unless the office already has one after it."""
    require_coordinator(actor, meeting.office_id)
    require_open(meeting)
    require_begun(meeting)
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


def _schedule_next(meeting: Meeting, actor: User) -> Meeting | None:
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
