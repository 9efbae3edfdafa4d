"""Recording an activity and keeping its attendance list: who may, what is refused, and that a
refused write changes nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from openpyxl import Workbook

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import AuditEvent
from counselling.models import Activity, Attendee
from counselling.services import (
    activity_attendance_import,
    activity_attendance_set,
    activity_record,
)
from tests.counselling.conftest import Staff
from tests.factories import make_student

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _fields(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "group",
        "channel": "direct",
        "topic": "career_routes",
        "title": "Rute de carieră",
        "held_on": TODAY,
        "duration_minutes": 50,
        "class_name": "10A",
    }
    fields.update(extra)
    return fields


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        yield


@pytest.mark.parametrize("name", ["tutor", "counsellor", "teacher", "psychologist", "coordinator"])
def test_it_lets_tutors_counsellors_and_office_educators_record(staff: Staff, name: str) -> None:
    activity = activity_record(actor=staff.user(name), **_fields())
    assert activity.author == staff.user(name)
    assert activity.school == staff.world.school
    assert AuditEvent.objects.filter(
        object_type="activity", object_id=str(activity.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    "name", ["social", "network", "admin_staff", "form_tutor", "outsider", "director", "ceiac"]
)
def test_it_refuses_everyone_else(staff: Staff, name: str) -> None:
    with pytest.raises(Forbidden):
        activity_record(actor=staff.user(name), **_fields())
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "lecture"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"topic": "weather"}, "topic"),
        ({"title": "  "}, "title"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"kind": "individual"}, "student"),
        ({"class_name": "9Z"}, "class_name"),
    ],
)
def test_it_names_the_field_that_is_wrong(staff: Staff, extra: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        activity_record(actor=staff.tutor, **_fields(**extra))
    assert field in refused.value.fields
    assert not Activity.objects.exists()


def test_it_refuses_a_day_outside_the_window(staff: Staff) -> None:
    with pytest.raises(Invalid) as refused:
        activity_record(actor=staff.tutor, **_fields(held_on=datetime.date(2030, 1, 1)))
    assert "held_on" in refused.value.fields


def test_it_keeps_a_group_activity_apart_from_one_student(staff: Staff) -> None:
    with pytest.raises(Invalid) as refused:
        activity_record(actor=staff.tutor, **_fields(student=staff.students[0]))
    assert "student" in refused.value.fields


def test_it_refuses_a_student_of_another_school(staff: Staff) -> None:
    stranger = make_student(staff.world.other_school)
    with pytest.raises(Invalid) as refused:
        activity_record(
            actor=staff.tutor, **_fields(kind="individual", class_name="", student=stranger)
        )
    assert "student" in refused.value.fields


def test_it_records_an_individual_activity_in_the_students_class(staff: Staff) -> None:
    activity = activity_record(
        actor=staff.counsellor,
        **_fields(kind="individual", class_name="", channel="phone", student=staff.students[3]),
    )
    assert activity.class_name == "11B"


def test_it_sets_the_attendance_list_to_exactly_the_ticked_students(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[:3])
    activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[1:3])
    assert sorted(Attendee.objects.values_list("student__last_name", flat=True)) == [
        "Barbu",
        "Cazacu",
    ]


def test_it_lets_only_the_author_keep_the_list(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    with pytest.raises(Forbidden):
        activity_attendance_set(actor=staff.counsellor, activity=activity, students=staff.students)
    assert not Attendee.objects.exists()


def test_it_refuses_a_list_before_the_day_of_the_activity(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields(held_on=TODAY + datetime.timedelta(3)))
    with pytest.raises(Conflict):
        activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[:1])


def test_it_refuses_students_of_another_school_on_the_list(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    stranger = make_student(staff.world.other_school)
    with pytest.raises(Invalid) as refused:
        activity_attendance_set(
            actor=staff.tutor, activity=activity, students=[staff.students[0], stranger]
        )
    assert "students" in refused.value.fields
    assert not Attendee.objects.exists()


def test_it_keeps_an_individual_activity_to_its_student(staff: Staff) -> None:
    activity = activity_record(
        actor=staff.tutor, **_fields(kind="individual", student=staff.students[0])
    )
    with pytest.raises(Invalid):
        activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[:2])
    activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[:1])
    assert Attendee.objects.count() == 1


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


def test_it_adds_the_students_a_file_lists_to_those_ticked(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    activity_attendance_set(actor=staff.tutor, activity=activity, students=staff.students[:1])
    codes = "\n".join(s.code for s in staff.students[1:3])
    added = activity_attendance_import(
        actor=staff.tutor, activity=activity, upload=_csv(f"code\n{codes}\n")
    )
    assert len(added) == 3
    assert Attendee.objects.filter(activity=activity).count() == 3


def test_it_reads_an_xlsx_file(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name"])
    sheet.append([staff.students[0].code, "Ana Avram"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    activity_attendance_import(actor=staff.tutor, activity=activity, upload=upload)
    assert Attendee.objects.get().student == staff.students[0]


def test_it_names_the_line_of_an_unknown_code_and_changes_nothing(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    upload = _csv(f"code\n{staff.students[0].code}\nNU-EXISTA\n\n")
    with pytest.raises(Invalid) as refused:
        activity_attendance_import(actor=staff.tutor, activity=activity, upload=upload)
    assert refused.value.fields["file"] == [
        "rândul 3: niciun elev al școlii nu are codul NU-EXISTA"
    ]
    assert not Attendee.objects.exists()


def test_it_names_a_file_without_the_code_column(staff: Staff) -> None:
    activity = activity_record(actor=staff.tutor, **_fields())
    with pytest.raises(Invalid) as refused:
        activity_attendance_import(actor=staff.tutor, activity=activity, upload=_csv("nume\nAna\n"))
    assert refused.value.fields["file"][0].startswith("rândul 1: ")
