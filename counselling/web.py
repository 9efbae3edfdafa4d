"""Activities on the web: the list, a new activity (two taps for a form tutor's class), the
attendance list ticked on a phone in the room, read from a file, or printed to sign; and the
students' information pack as the office keeps it and hands it out."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.errors import Invalid
from casework.models import Student, User
from casework.positions import positions_held
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors, form_write
from counselling import policies
from counselling.attendance_sheet import attendance_response
from counselling.forms import ActivityForm, AttendanceImportForm, HandOutForm, InfoPackForm
from counselling.models import Activity, ActivityKind
from counselling.selectors import (
    activities_visible_to,
    activity_get_for_user,
    attendees_of,
    class_list,
    classes_of_school,
    info_pack_of,
)
from counselling.services import (
    activity_attendance_import,
    activity_attendance_set,
    activity_record,
    info_pack_hand_out,
    info_pack_save,
)

PAGE = 50


def tutored_classes(user: User) -> list[str]:
    return sorted({held.class_name for held in positions_held(user) if held.class_name})


@domain_errors
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user: User = actor_of(request)
    policies.require_see_activities(user)
    queryset = activities_visible_to(user).annotate(attendance_count=Count("attendees"))
    page = Paginator(queryset, PAGE).get_page(request.GET.get("page"))
    audit_list(actor=user, object_type="activity", ids=[a.pk for a in page])
    may_record = policies.can_record_activities(user)
    return render(
        request,
        "counselling/activity_list.html",
        {
            "page": page,
            "may_record": may_record,
            "tutored": tutored_classes(user) if may_record else [],
            "reads_school": policies.reads_school_activities(user),
        },
    )


def _student_by_code(user: User, code: str) -> Student | None:
    if not code:
        return None
    student = Student.objects.filter(school=user.school, code__iexact=code.strip()).first()
    if student is None:
        raise Invalid(
            {
                "student_code": [
                    _("No student of your school has the code %(code)s.") % {"code": code}
                ]
            }
        )
    return student


@domain_errors
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    user: User = actor_of(request)
    policies.require_record_activities(user)
    classes = classes_of_school(user.school_id)
    if request.method == "POST":
        form = ActivityForm(request.POST, classes=classes)
        written = form_write(
            form,
            lambda data: activity_record(
                actor=user,
                kind=data["kind"],
                channel=data["channel"],
                topic=data["topic"],
                title=data["title"],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                class_name=data["class_name"],
                student=_student_by_code(user, data["student_code"]),
            ),
            renamed={"student": "student_code"},
        )
        if written:
            messages.success(request, _("The activity is recorded: now the attendance list."))
            return HttpResponseRedirect(reverse("activities:detail", args=[written.value.pk]))
    else:
        initial: dict[str, Any] = {}
        class_name = request.GET.get("class_name", "")
        if class_name in classes:
            initial = {
                "class_name": class_name,
                "kind": ActivityKind.GROUP,
                "title": _("Information activity with class %(name)s") % {"name": class_name},
            }
        form = ActivityForm(initial=initial, classes=classes)
    return render(request, "counselling/activity_form.html", {"form": form})


def _page(activity: Activity, *, is_author: bool, errors: list[str], form: Any) -> dict[str, Any]:
    rows = _ticklist(activity)
    return {
        "activity": activity,
        "is_author": is_author,
        "rows": rows,
        "attendees": [student for student, present in rows if present],
        "errors": errors,
        "import_form": form,
    }


def _ticklist(activity: Activity) -> list[tuple[Student, bool]]:
    present = {s.pk: s for s in attendees_of(activity)}
    rows = {s.pk: s for s in class_list(activity)}
    rows.update(present)
    ordered = sorted(rows.values(), key=lambda s: (s.last_name, s.first_name, s.pk))
    return [(s, s.pk in present) for s in ordered]


CODES = re.compile(r"[\s,;]+")


def _students_from_post(request: HttpRequest, activity: Activity) -> list[Student]:
    """The ticked students, and those added by their codes (a group without a class)."""
    school = Student.objects.filter(school_id=activity.school_id)
    ids = [int(i) for i in request.POST.getlist("students") if i.isdigit()]
    chosen = list(school.filter(pk__in=ids))
    unknown = []
    for code in (c for c in CODES.split(request.POST.get("codes", "")) if c):
        student = school.filter(code__iexact=code).first()
        if student is None:
            unknown.append(code)
        else:
            chosen.append(student)
    if unknown:
        raise Invalid(
            {
                "codes": [
                    _("No student of the school has the code %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    return chosen


def _saved(request: HttpRequest, activity: Activity, count: int) -> HttpResponse:
    """Say how many are on the list, and show the activity again (a reload does not resend)."""
    messages.success(
        request,
        ngettext(
            "Attendance list saved: %(n)d student.",
            "Attendance list saved: %(n)d students.",
            count,
        )
        % {"n": count},
    )
    return HttpResponseRedirect(reverse("activities:detail", args=[activity.pk]))


@domain_errors
@require_http_methods(["GET", "POST"])
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = actor_of(request)
    activity = activity_get_for_user(user, pk, audit=request.method == "GET")
    is_author = activity.author_id == user.pk
    errors: list[str] = []
    if request.method == "POST":
        policies.require_activity_author(user, activity.author_id)
        try:
            chosen = activity_attendance_set(
                actor=user, activity=activity, students=_students_from_post(request, activity)
            )
        except Invalid as invalid:
            errors = [m for values in invalid.fields.values() for m in values]
        else:
            return _saved(request, activity, len(chosen))
    return render(
        request,
        "counselling/activity_detail.html",
        _page(activity, is_author=is_author, errors=errors, form=AttendanceImportForm()),
        status=400 if errors else 200,
    )


@domain_errors
@require_POST
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = actor_of(request)
    activity = activity_get_for_user(user, pk, audit=False)
    policies.require_activity_author(user, activity.author_id)
    form = AttendanceImportForm(request.POST, request.FILES)
    written = form_write(
        form,
        lambda data: activity_attendance_import(actor=user, activity=activity, upload=data["file"]),
    )
    if written:
        return _saved(request, activity, len(written.value))
    return render(
        request,
        "counselling/activity_detail.html",
        _page(activity, is_author=True, errors=[], form=form),
        status=400,
    )


@domain_errors
@require_GET
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = actor_of(request)
    activity = activity_get_for_user(user, pk, audit=False)
    return attendance_response(activity, user)


def _info_pack_page(
    request: HttpRequest,
    user: User,
    *,
    pack_form: InfoPackForm | None = None,
    hand_out_form: HandOutForm | None = None,
    status: int = 200,
) -> HttpResponse:
    school = user.school
    assert school is not None  # the pack's policies refuse staff without a school
    pack = info_pack_of(school)
    may_edit = policies.can_edit_info_pack(user, school.pk)
    may_hand_out = policies.can_record_activities(user)
    if may_edit and pack_form is None:
        pack_form = InfoPackForm(
            initial={name: getattr(pack, name) for name in InfoPackForm.base_fields}
        )
    if may_hand_out and hand_out_form is None:
        hand_out_form = HandOutForm(classes=classes_of_school(school.pk))
    public_url = request.build_absolute_uri(reverse("info-pack", args=[school.code]))
    return render(
        request,
        "counselling/info_pack_edit.html",
        {
            "pack": pack,
            "school": school,
            "pack_form": pack_form if may_edit else None,
            "hand_out_form": hand_out_form if may_hand_out else None,
            "public_url": public_url,
        },
        status=status,
    )


@domain_errors
@require_http_methods(["GET", "POST"])
def info_pack(request: HttpRequest) -> HttpResponse:
    """The pack as the office keeps it: coordinators edit it, recorders hand it out."""
    user: User = actor_of(request)
    policies.require_see_info_pack(user)
    if request.method != "POST":
        return _info_pack_page(request, user)
    school = user.school
    assert school is not None
    form = InfoPackForm(request.POST)
    if form_write(form, lambda data: info_pack_save(actor=user, school=school, **data)):
        messages.success(request, _("The information pack is saved."))
        return HttpResponseRedirect(reverse("activities:info_pack"))
    return _info_pack_page(request, user, pack_form=form, status=400)


@domain_errors
@require_POST
def info_pack_hand_out_view(request: HttpRequest) -> HttpResponse:
    user: User = actor_of(request)
    policies.require_record_activities(user)
    form = HandOutForm(request.POST, classes=classes_of_school(user.school_id))
    written = form_write(form, lambda data: info_pack_hand_out(actor=user, **data))
    if written:
        messages.success(
            request, _("Recorded as an information activity: now the attendance list.")
        )
        return HttpResponseRedirect(reverse("activities:detail", args=[written.value.pk]))
    return _info_pack_page(request, user, hand_out_form=form, status=400)
