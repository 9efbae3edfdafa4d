"""Reads of counselling activities (what a user may see, and the one permission-checked fetch)
and of the students' information pack."""

from __future__ import annotations

import itertools
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import AuditEvent, School, Student, User
from casework.selectors import pk_or_not_found
from casework.services.audit import audit_record
from counselling import policies
from counselling.models import Activity, InfoPack


def activities_visible_to(user: User) -> QuerySet[Activity]:
    """The user's own activities, and their school's for the readers of the reports."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Activity.objects.none()
    visible = Q(author_id=user.pk)
    if policies.reads_school_activities(user):
        visible |= Q(school_id=user.school_id)
    return (
        Activity.objects.filter(visible)
        .select_related("author", "student")
        .order_by("-held_on", "-id")
    )


def activity_get_for_user(user: User, pk: Any, *, audit: bool = True) -> Activity:
    """An activity the user may read; any other is invisible (404)."""
    pk = pk_or_not_found(pk)
    activity = activities_visible_to(user).select_related("school").filter(pk=pk).first()
    if activity is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=activity)
    return activity


def attendees_of(activity: Activity) -> QuerySet[Student]:
    return Student.objects.filter(attended__activity=activity).order_by(
        "last_name", "first_name", "id"
    )


def class_list(activity: Activity) -> QuerySet[Student]:
    """Whom the attendance list is ticked from: the class, or the one student of an
    individual activity; nobody for a group activity without a class (students are added by
    code or by file)."""
    students = Student.objects.filter(school_id=activity.school_id)
    if activity.student_id is not None:
        return students.filter(pk=activity.student_id)
    if activity.class_name:
        return students.filter(class_name=activity.class_name)
    return students.none()


def _class_order(name: str) -> tuple[int, str]:
    # 9A before 10A: the year first, as a number, then the letter.
    digits = "".join(itertools.takewhile(str.isdigit, name))
    return (int(digits) if digits else 0, name)


def classes_of_school(school_id: int | None) -> list[str]:
    if school_id is None:
        return []
    names = (
        Student.objects.filter(school_id=school_id)
        .order_by("class_name")
        .values_list("class_name", flat=True)
        .distinct()
    )
    return sorted(names, key=_class_order)


def info_pack_of(school: School) -> InfoPack:
    """The school's pack; an empty one (not saved) until a coordinator first writes it."""
    pack = InfoPack.objects.filter(school=school).first()
    return pack if pack is not None else InfoPack(school=school)


def info_pack_for_code(code: str) -> InfoPack:
    """The public fetch: any school by its code, 404 for an unknown one."""
    school = School.objects.filter(code=code).select_related("office").first()
    if school is None:
        raise NotFound(_("No school has this code."))
    return info_pack_of(school)
