"""``/api/activities/`` as DESIGN.md's contract writes it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from casework.models import AuditEvent
from counselling.models import Activity, Attendee
from tests.conftest import client_for
from tests.counselling.conftest import Staff
from tests.factories import make_student

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "group",
        "channel": "direct",
        "topic": "education_routes",
        "title": "Trasee educaționale după clasa a X-a",
        "held_on": TODAY.isoformat(),
        "duration_minutes": 50,
        "class_name": "10A",
    }
    body.update(extra)
    return body


def test_it_records_an_activity_and_reads_it_back(staff: Staff) -> None:
    client = client_for(staff.tutor)
    made = client.post("/api/activities/", _body(), format="json")
    assert made.status_code == 201, made.json()
    read = client.get(f"/api/activities/{made.json()['id']}/").json()
    assert {k: read[k] for k in _body()} == _body()
    assert read["student"] is None
    assert read["author"] == staff.tutor.pk
    assert read["attendance"] == 0


def test_it_refuses_an_individual_activity_without_a_student_on_student(staff: Staff) -> None:
    answer = client_for(staff.tutor).post(
        "/api/activities/", _body(kind="individual", class_name=""), format="json"
    )
    assert answer.status_code == 400
    assert "student" in answer.json()


def test_it_says_forbidden_before_it_reads_the_body(staff: Staff) -> None:
    answer = client_for(staff.world.social).post("/api/activities/", {}, format="json")
    assert answer.status_code == 403
    assert not Activity.objects.exists()


def test_it_treats_a_student_of_another_school_as_unknown(staff: Staff) -> None:
    stranger = make_student(staff.world.other_school)
    answer = client_for(staff.tutor).post(
        "/api/activities/",
        _body(kind="individual", class_name="", student=stranger.pk),
        format="json",
    )
    assert answer.status_code == 400
    assert "student" in answer.json()


def test_it_names_the_allowed_choices(staff: Staff) -> None:
    answer = client_for(staff.tutor).post("/api/activities/", _body(channel="fax"), format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["channel"]


def _made(staff: Staff, author: Any, held_on: datetime.date) -> int:
    answer = client_for(author).post(
        "/api/activities/", _body(held_on=held_on.isoformat()), format="json"
    )
    assert answer.status_code == 201, answer.json()
    pk: int = answer.json()["id"]
    return pk


def test_it_lists_by_day_and_by_who_may_read(staff: Staff) -> None:
    early = _made(staff, staff.tutor, TODAY - datetime.timedelta(days=40))
    late = _made(staff, staff.tutor, TODAY)
    other = _made(staff, staff.world.teacher, TODAY)

    def ids(user: Any, query: str = "") -> list[int]:
        answer = client_for(user).get(f"/api/activities/{query}")
        assert answer.status_code == 200
        return [row["id"] for row in answer.json()["results"]]

    assert ids(staff.tutor) == [late, early]
    since = (TODAY - datetime.timedelta(days=7)).isoformat()
    assert ids(staff.tutor, f"?from={since}") == [late]
    assert ids(staff.tutor, f"?to={since}") == [early]
    assert sorted(ids(staff.director)) == sorted([early, late, other])
    assert ids(staff.world.psychologist) == []
    assert AuditEvent.objects.filter(actor=staff.director, action="list").exists()


def test_it_names_a_bad_day_in_the_query(staff: Staff) -> None:
    answer = client_for(staff.tutor).get("/api/activities/?from=20.11.2026")
    assert answer.status_code == 400
    assert "from" in answer.json()


def test_it_puts_the_attendance_list(staff: Staff) -> None:
    pk = _made(staff, staff.tutor, TODAY)
    client = client_for(staff.tutor)
    ids = [s.pk for s in staff.students[:2]]
    answer = client.put(f"/api/activities/{pk}/attendance/", {"students": ids}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"students": sorted(ids)}
    assert client.get(f"/api/activities/{pk}/attendance/").json() == {"students": sorted(ids)}
    assert client.get(f"/api/activities/{pk}/").json()["attendance"] == 2


@pytest.mark.parametrize("students", [None, "1,2", [True], [0], ["x"]])
def test_it_refuses_a_list_that_is_not_ids(staff: Staff, students: Any) -> None:
    pk = _made(staff, staff.tutor, TODAY)
    answer = client_for(staff.tutor).put(
        f"/api/activities/{pk}/attendance/", {"students": students}, format="json"
    )
    assert answer.status_code == 400
    assert "students" in answer.json()


def test_it_names_ids_that_are_not_the_schools_and_changes_nothing(staff: Staff) -> None:
    pk = _made(staff, staff.tutor, TODAY)
    stranger = make_student(staff.world.other_school)
    answer = client_for(staff.tutor).put(
        f"/api/activities/{pk}/attendance/",
        {"students": [staff.students[0].pk, stranger.pk]},
        format="json",
    )
    assert answer.status_code == 400
    assert str(stranger.pk) in answer.json()["students"][0]
    assert not Attendee.objects.exists()


def test_it_prints_the_list_to_sign(staff: Staff) -> None:
    pk = _made(staff, staff.tutor, TODAY)
    answer = client_for(staff.tutor).get(f"/api/activities/{pk}/attendance.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(pk)).exists()
