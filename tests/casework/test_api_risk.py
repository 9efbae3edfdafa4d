"""GET /api/students/{id}/risk/: level, indicators with values and trends, reasons; need to know."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine

from casework.models import Case, RiskPolicy, Student
from tests.casework.monitoring_helpers import record
from tests.conftest import client_for
from tests.factories import World, make_student

TODAY = datetime.date(2025, 3, 10)


def _days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0), tick=False)
def test_it_gives_the_level_indicators_and_reasons(world: World, student: Student) -> None:
    record(student, "attendance", 97, _days_ago(12))
    record(student, "attendance", 88, _days_ago(2))
    record(student, "behaviour", 1, _days_ago(3))
    response = client_for(world.teacher).get(
        f"/api/students/{student.pk}/risk/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "high"
    assert body["previous_level"] == "none"
    assert body["as_of"] == "2025-03-10"
    attendance = body["indicators"][0]
    assert {k: attendance[k] for k in ("name", "level", "value", "previous", "trend")} == {
        "name": "attendance",
        "level": "high",
        "value": 88,
        "previous": 97,
        "trend": "worse",
    }
    assert [i["name"] for i in body["indicators"]] == [
        "attendance",
        "grade_failures",
        "behaviour",
        "self_assessment",
    ]
    assert body["reasons"] == ["Chronic absence: attendance 88% on 03/08/2025, below 90%."]
    assert body["changes"][0] == "Risk rose from no risk to high risk since last week."
    assert body["open_case"] is None
    assert body["flag"]["functions"] == ["pedagogical"]


def test_it_answers_none_for_a_student_without_signals(world: World, student: Student) -> None:
    body = client_for(world.psychologist).get(f"/api/students/{student.pk}/risk/").json()
    assert (body["level"], body["reasons"], body["flag"]) == ("none", [], None)
    assert all(i["value"] is None for i in body["indicators"])


def test_it_points_at_the_open_case_instead_of_suggesting_a_flag(world: World, case: Case) -> None:
    record(case.student, "grade_failures", 2, datetime.date.today())
    body = client_for(world.teacher).get(f"/api/students/{case.student.pk}/risk/").json()
    assert body["level"] == "high"
    assert (body["open_case"], body["flag"]) == (case.pk, None)


def test_it_hides_another_schools_students(world: World) -> None:
    other = make_student(world.other_school)
    record(other, "attendance", 50, datetime.date.today())
    for user in (world.teacher, world.network):
        assert client_for(user).get(f"/api/students/{other.pk}/risk/").status_code == 404
    assert client_for(world.outsider).get(f"/api/students/{other.pk}/risk/").status_code == 200
    mine = make_student(world.school)
    assert client_for(world.outsider).get(f"/api/students/{mine.pk}/risk/").status_code == 404
    assert client_for(world.outsider).get("/api/students/999999/risk/").status_code == 404


def test_it_applies_the_schools_thresholds(world: World, student: Student) -> None:
    record(student, "attendance", 92, datetime.date.today())
    client = client_for(world.teacher)
    assert client.get(f"/api/students/{student.pk}/risk/").json()["level"] == "caution"
    RiskPolicy.objects.create(
        school=world.school,
        attendance_caution_below=Decimal(90),
        attendance_high_below=Decimal(85),
    )
    assert client.get(f"/api/students/{student.pk}/risk/").json()["level"] == "none"


def test_it_words_the_reasons_in_romanian_by_default(world: World, student: Student) -> None:
    record(student, "attendance", 87.5, datetime.date(2025, 3, 1))
    with time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0), tick=False):
        body = client_for(world.teacher).get(f"/api/students/{student.pk}/risk/").json()
    assert body["reasons"] == ["Absenteism cronic: prezență 87,5% la 1 martie 2025, sub 90%."]
