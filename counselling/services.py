"""Writes of counselling activities (record one, keep its attendance list, ticked in the room
or read from a file) and of the students' information pack."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from casework.dates import require_within
from casework.errors import Conflict, Invalid, one_of
from casework.models import AuditEvent, School, Student, User
from casework.services.audit import audit_record
from casework.tabular import Problem, Table, parse_text
from counselling import policies
from counselling.models import Activity, ActivityKind, Attendee, Channel, InfoPack, Topic

# A school day at most: longer "activities" are programmes, recorded as several.
MAX_MINUTES = 480


def _choice(
    errors: dict[str, list[str] | str], name: str, value: str, choices: list[tuple[str, Any]]
) -> None:
    if value not in dict(choices):
        errors[name] = [_("Choose one of: %(choices)s.") % {"choices": one_of(choices)}]


def _clean(
    *,
    school_id: int,
    kind: str,
    channel: str,
    topic: str,
    title: str,
    duration_minutes: int,
    class_name: str,
    student: Student | None,
) -> None:
    errors: dict[str, list[str] | str] = {}
    _choice(errors, "kind", kind, ActivityKind.choices)
    _choice(errors, "channel", channel, Channel.choices)
    _choice(errors, "topic", topic, Topic.choices)
    if not title.strip():
        errors["title"] = [_("Give the activity a title.")]
    if not 1 <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            _("The duration is between 1 and %(most)d minutes.") % {"most": MAX_MINUTES}
        ]
    if kind == ActivityKind.INDIVIDUAL and student is None:
        errors["student"] = [_("An individual activity is with one student: choose the student.")]
    elif kind == ActivityKind.GROUP and student is not None:
        errors["student"] = [_("A group activity has an attendance list, not one student.")]
    elif student is not None and student.school_id != school_id:
        errors["student"] = [_("Choose a student of your school.")]
    if (
        class_name
        and not Student.objects.filter(school_id=school_id, class_name=class_name).exists()
    ):
        errors["class_name"] = [
            _("There is no class %(name)s in your school.") % {"name": class_name}
        ]
    if errors:
        raise Invalid(errors)


def activity_record(
    *,
    actor: User,
    kind: str,
    channel: str,
    topic: str,
    title: str,
    held_on: datetime.date,
    duration_minutes: int,
    class_name: str = "",
    student: Student | None = None,
) -> Activity:
    """Record an activity the actor held (or will hold) in their school."""
    policies.require_record_activities(actor)
    school_id = actor.school_id
    assert school_id is not None  # the policy above refuses staff without a school
    require_within(held_on=held_on)
    class_name = (class_name or "").strip()
    if student is not None and not class_name:
        class_name = student.class_name
    _clean(
        school_id=school_id,
        kind=kind,
        channel=channel,
        topic=topic,
        title=title,
        duration_minutes=duration_minutes,
        class_name=class_name,
        student=student,
    )
    with transaction.atomic():
        activity = Activity.objects.create(
            school_id=school_id,
            author=actor,
            kind=kind,
            channel=channel,
            topic=topic,
            title=title.strip(),
            held_on=held_on,
            duration_minutes=duration_minutes,
            class_name=class_name,
            student=student,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=activity,
            data={"kind": kind, "topic": topic, "student": student.pk if student else None},
        )
    return activity


def _require_list_open(actor: User, activity: Activity) -> None:
    policies.require_activity_author(actor, activity.author_id)
    if activity.held_on > timezone.localdate():
        raise Conflict(
            _("The attendance list is kept from the day of the activity (%(day)s).")
            % {"day": formats.date_format(activity.held_on, "SHORT_DATE_FORMAT")}
        )


def _require_may_attend(activity: Activity, students: list[Student]) -> None:
    strangers = [s for s in students if s.school_id != activity.school_id]
    if strangers:
        raise Invalid({"students": [_("Choose students of your school.")]})
    if activity.student_id is not None and any(s.pk != activity.student_id for s in students):
        raise Invalid(
            {"students": [_("An individual activity is attended by its one student only.")]}
        )


def activity_attendance_set(
    *, actor: User, activity: Activity, students: Iterable[Student]
) -> list[Student]:
    """The attendance list becomes exactly ``students`` (ticked in the room)."""
    chosen = list({s.pk: s for s in students}.values())
    _require_list_open(actor, activity)
    _require_may_attend(activity, chosen)
    with transaction.atomic():
        # Lock the activity so two phones saving the same list do not interleave.
        Activity.objects.select_for_update().get(pk=activity.pk)
        Attendee.objects.filter(activity=activity).exclude(
            student_id__in=[s.pk for s in chosen]
        ).delete()
        known = set(Attendee.objects.filter(activity=activity).values_list("student_id", flat=True))
        Attendee.objects.bulk_create(
            [Attendee(activity=activity, student=s) for s in chosen if s.pk not in known]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=activity,
            data={"attendance": sorted(s.pk for s in chosen)},
        )
    return chosen


def _read_codes(activity: Activity, upload: IO[bytes]) -> tuple[list[Student], list[str]]:
    table = Table(upload, required=["code"], optional=["name", "class"])
    by_code = {s.code.casefold(): s for s in Student.objects.filter(school_id=activity.school_id)}
    found: list[Student] = []
    problems: list[str] = []
    for line, values in table.rows():
        try:
            code = parse_text(values.get("code"), max_length=40)
        except ValueError:
            problems.append(_("line %(line)d: the student code is missing") % {"line": line})
            continue
        student = by_code.get(code.casefold())
        if student is None:
            problems.append(
                _("line %(line)d: no student of the school has the code %(code)s")
                % {"line": line, "code": code}
            )
        else:
            found.append(student)
    problems[:0] = [_problem_text(p) for p in table.problems]
    return found, problems


def _problem_text(problem: Problem) -> str:
    return _("line %(line)d: %(problem)s") % {"line": problem.line, "problem": problem.message}


def activity_attendance_import(
    *, actor: User, activity: Activity, upload: IO[bytes]
) -> list[Student]:
    """Add the students a file lists (a ``code`` column; CSV or XLSX) to the attendance list.

    All or nothing: a file with a problem changes nothing, and every problem is named by line.
    The list ticked in the room is kept; the file adds to it.
    """
    _require_list_open(actor, activity)
    found, problems = _read_codes(activity, upload)
    if problems:
        raise Invalid({"file": problems})
    if not found:
        raise Invalid({"file": [_("The file lists no student.")]})
    present = list(Student.objects.filter(attended__activity=activity))
    return activity_attendance_set(actor=actor, activity=activity, students=[*present, *found])


# Nine digits or more, with the spaces, dots, dashes and brackets people type between them:
# a phone number ("0722 123 456", "+373 22 123456"), never office hours ("08.00-16.00").
_PHONE = re.compile(r"\+?\d(?:[\s.\-/()]*\d){8,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PACK_FIELDS = ("room", "hours", "email", "note", "note_en")
PACK_LIMITS = {"room": 120, "hours": 200, "email": 254, "note": 1500, "note_en": 1500}


def _pack_errors(values: dict[str, str]) -> dict[str, list[str] | str]:
    errors: dict[str, list[str] | str] = {}
    staff_emails = {
        email.lower()
        for email in User.objects.exclude(email="").values_list("email", flat=True).iterator()
    }
    for name, value in values.items():
        if len(value) > PACK_LIMITS[name]:
            errors[name] = [
                _("At most %(limit)d characters.") % {"limit": PACK_LIMITS[name]},
            ]
        elif _PHONE.search(value):
            errors[name] = [
                _(
                    "The pack gives the office's room, hours and e-mail, never a phone number: "
                    "a phone in a pack handed to a class would be someone's own."
                )
            ]
        elif any(found.lower() in staff_emails for found in _EMAIL.findall(value)):
            errors[name] = [
                _(
                    "This is a member of staff's own e-mail address; give the office's shared "
                    "address instead."
                )
            ]
    if values["email"] and not _EMAIL.fullmatch(values["email"]) and "email" not in errors:
        errors["email"] = [_("Enter a valid e-mail address.")]
    return errors


def info_pack_save(*, actor: User, school: School, **values: str) -> InfoPack:
    """The coordinators write the school's pack (room, hours, the office's e-mail, a note)."""
    policies.require_edit_info_pack(actor, school.pk)
    unknown = set(values) - set(PACK_FIELDS)
    if unknown:
        raise Invalid({name: [_("Unknown field.")] for name in sorted(unknown)})
    cleaned = {name: str(values.get(name) or "").strip() for name in PACK_FIELDS}
    errors = _pack_errors(cleaned)
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        pack, created = InfoPack.objects.select_for_update().get_or_create(
            school=school, defaults={**cleaned, "updated_by": actor}
        )
        if not created:
            for name, value in cleaned.items():
                setattr(pack, name, value)
            pack.updated_by = actor
            pack.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=pack,
            data={"fields": [name for name in PACK_FIELDS if cleaned[name]]},
        )
    return pack


PACK_MINUTES = 15


def info_pack_hand_out(*, actor: User, class_name: str, held_on: datetime.date) -> Activity:
    """Handing the pack out to a class is an information activity on drop-out prevention, in
    the school's language, like any other the actor records (seed 002 and seed 000's "min. 2
    information activities")."""
    policies.require_record_activities(actor)
    school = actor.school
    assert school is not None  # the policy above refuses staff without a school
    if not (class_name or "").strip():
        raise Invalid({"class_name": [_("Choose the class the pack was handed to.")]})
    with translation.override(school.language or "ro"):
        title = str(_("The students' information pack on school drop-out"))
    if Activity.objects.filter(
        school=school, class_name=class_name.strip(), held_on=held_on, title=title
    ).exists():
        raise Conflict(
            _("The pack was already recorded as handed out to class %(name)s on that day.")
            % {"name": class_name.strip()}
        )
    return activity_record(
        actor=actor,
        kind=ActivityKind.GROUP,
        channel=Channel.DIRECT,
        topic=Topic.DROPOUT_PREVENTION,
        title=title,
        held_on=held_on,
        duration_minutes=PACK_MINUTES,
        class_name=class_name,
    )
