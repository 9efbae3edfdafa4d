"""The watchlist: a teacher's classes, most at risk first, with what changed since last week."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from casework.models import AuditEvent, Case, ClassAssignment, RiskPolicy, StudentRisk
from tests.casework.monitoring_helpers import record
from tests.conftest import client_for
from tests.factories import World, make_student
from workflows.services import case_flag

TODAY = datetime.date(2025, 3, 10)
NOW = datetime.datetime(2025, 3, 10, 9, 0)


def _ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _teach(world: World, *classes: str) -> None:
    for name in classes:
        ClassAssignment.objects.create(user=world.teacher, school=world.school, class_name=name)


def _watchlist(world: World, user: Any = None, **params: Any) -> dict[str, Any]:
    response = client_for(user or world.teacher).get(
        "/api/watchlist/", params, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _names(body: dict[str, Any]) -> list[str]:
    return [row["student"]["last_name"] for row in body["results"]]


@time_machine.travel(NOW, tick=False)
def test_it_sorts_by_level_then_worsening_then_indicators_then_name(world: World) -> None:
    _teach(world, "10A")
    s = {n: make_student(world.school, last_name=n, class_name="10A") for n in "ABCDEFG"}
    record(s["A"], "attendance", 99, _ago(1))  # none
    record(s["B"], "attendance", 93, _ago(1))  # caution, steady
    record(s["B"], "attendance", 93, _ago(20))
    record(s["C"], "attendance", 85, _ago(20))  # high, steady
    record(s["D"], "attendance", 85, _ago(1))  # high, new this week: worsened
    record(s["E"], "attendance", 85, _ago(20))  # high twice, steady
    record(s["E"], "grade_failures", 1, _ago(20))
    record(s["F"], "behaviour", 2, _ago(2))  # caution, new this week
    body = _watchlist(world)
    assert _names(body) == ["D", "E", "C", "F", "B", "A", "G"]
    first = body["results"][0]
    assert (first["level"], first["previous_level"], first["worsened"]) == ("high", "none", True)
    assert first["reasons"] == ["Chronic absence: attendance 85% on 03/09/2025, below 90%."]
    assert first["changes"] == [
        "Risk rose from no risk to high risk since last week.",
        "Attendance: 85%, first recorded this week.",
    ]
    assert first["new_signals"] == 1
    assert body["classes"] == ["10A"]


def test_it_shows_only_the_teachers_classes(world: World) -> None:
    _teach(world, "10A", "10B")
    make_student(world.school, last_name="Mine", class_name="10A")
    make_student(world.school, last_name="AlsoMine", class_name="10B")
    make_student(world.school, last_name="NotMine", class_name="11C")
    make_student(world.other_school, last_name="Elsewhere", class_name="10A")
    assert sorted(_names(_watchlist(world))) == ["AlsoMine", "Mine"]
    assert _names(_watchlist(world, class_name="10B")) == ["AlsoMine"]
    assert _watchlist(world, world.form_tutor)["count"] == 0


def test_it_ignores_an_assignment_in_another_school(world: World) -> None:
    ClassAssignment.objects.create(user=world.teacher, school=world.other_school, class_name="10A")
    make_student(world.other_school, class_name="10A")
    assert _watchlist(world)["count"] == 0


def test_it_shows_the_whole_school_when_asked(world: World) -> None:
    make_student(world.school, last_name="One", class_name="9A")
    make_student(world.school, last_name="Two", class_name="12B")
    make_student(world.other_school, last_name="Elsewhere")
    assert sorted(_names(_watchlist(world, world.psychologist, scope="school"))) == ["One", "Two"]
    assert _watchlist(world, world.network, scope="school")["count"] == 0


def test_it_filters_by_level(world: World) -> None:
    _teach(world, "10A")
    at_risk = make_student(world.school, last_name="AtRisk", class_name="10A")
    make_student(world.school, last_name="Fine", class_name="10A")
    record(at_risk, "behaviour", 2, timezone.localdate())
    assert _names(_watchlist(world, level="caution,high")) == ["AtRisk"]
    response = client_for(world.teacher).get("/api/watchlist/", {"level": "red"})
    assert response.status_code == 400 and "level" in response.json()


def test_it_points_at_an_open_case_and_suggests_a_flag_otherwise(world: World) -> None:
    _teach(world, "10A")
    flagged = make_student(world.school, last_name="Flagged", class_name="10A")
    other = make_student(world.school, last_name="Other", class_name="10A")
    for student in (flagged, other):
        record(student, "attendance", 80, timezone.localdate())
    case = case_flag(student=flagged, actor=world.teacher, reason="r", functions=["pedagogical"])
    rows = {row["student"]["last_name"]: row for row in _watchlist(world)["results"]}
    assert (rows["Flagged"]["open_case"], rows["Flagged"]["flag"]) == (case.pk, None)
    assert rows["Other"]["open_case"] is None
    assert rows["Other"]["flag"]["functions"] == ["pedagogical"]
    assert isinstance(case, Case)


def test_it_refreshes_assessments_computed_on_an_earlier_day(world: World) -> None:
    _teach(world, "10A")
    student = make_student(world.school, class_name="10A")
    with time_machine.travel(NOW, tick=False):
        record(student, "attendance", 85, _ago(0))
        assert _watchlist(world)["results"][0]["previous_level"] == "none"
    with time_machine.travel(NOW + datetime.timedelta(days=8), tick=False):
        row = _watchlist(world)["results"][0]
    assert (row["level"], row["previous_level"], row["worsened"]) == ("high", "high", False)
    assert row["changes"] == []
    assert StudentRisk.objects.get(student=student).as_of == TODAY + datetime.timedelta(days=8)


def test_it_refreshes_assessments_older_than_the_schools_thresholds(world: World) -> None:
    _teach(world, "10A")
    student = make_student(world.school, class_name="10A")
    record(student, "attendance", 92, timezone.localdate())
    assert _watchlist(world)["results"][0]["level"] == "caution"
    RiskPolicy.objects.create(school=world.school, attendance_caution_below=90)
    assert _watchlist(world)["results"][0]["level"] == "none"


def test_it_records_who_looked_at_which_students(world: World) -> None:
    _teach(world, "10A")
    student = make_student(world.school, class_name="10A")
    _watchlist(world)
    event = AuditEvent.objects.get(action="list", actor=world.teacher)
    assert event.data == {"ids": [student.pk], "view": "watchlist"}


def test_it_lists_a_student_registered_after_the_refresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _teach(world, "10A")
    make_student(world.school, class_name="10A")
    # The student arrives between the refresh of stale assessments and the query that lists.
    monkeypatch.setattr("casework.api.monitoring.risk_refresh_stale", lambda students: 0)
    row = _watchlist(world)["results"][0]
    assert (row["level"], row["indicators"], row["reasons"]) == ("none", [], [])
