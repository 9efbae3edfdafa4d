"""Recording signals over the API: validated, one per natural key, on an open case's timeline."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from casework.models import AuditEvent, Case, CaseEvent, Signal, Student, StudentRisk
from tests.casework.monitoring_helpers import record
from tests.conftest import client_for
from tests.factories import World, make_student


def _body(who: Student, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "student": who.pk,
        "kind": "attendance",
        "value": 87.5,
        "observed_on": datetime.date.today().isoformat(),
    }
    body.update(fields)
    return body


def test_it_records_a_signal_with_who_and_how(world: World, student: Student) -> None:
    response = client_for(world.teacher).post(
        "/api/signals/", _body(student, note="end of February"), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["value"], body["source"]) == ("attendance", 87.5, "manual")
    assert body["recorded_by"] == world.teacher.pk
    assert body["note"] == "end of February"
    signal = Signal.objects.get(pk=body["id"])
    assert signal.student == student
    assert AuditEvent.objects.filter(
        action="create", object_type="signal", object_id=str(signal.pk), school_id=student.school_id
    ).exists()


def test_it_returns_counts_as_whole_numbers_and_observations_as_text(
    world: World, student: Student
) -> None:
    client = client_for(world.teacher)
    count = client.post("/api/signals/", _body(student, kind="behaviour", value=2), format="json")
    text = client.post(
        "/api/signals/", _body(student, kind="observation", value="Slept in class"), format="json"
    )
    assert count.json()["value"] == 2
    assert text.json()["value"] == "Slept in class"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"value": 100.5}, "value"),
        ({"value": -1}, "value"),
        ({"kind": "behaviour", "value": -2}, "value"),
        ({"kind": "grade_failures", "value": 1.5}, "value"),
        ({"kind": "self_assessment", "value": 101}, "value"),
        ({"kind": "observation", "value": ""}, "value"),
        ({"kind": "truancy"}, "kind"),
        ({"observed_on": "2999-01-01"}, "observed_on"),
        ({"observed_on": "yesterday"}, "observed_on"),
        ({"student": "abc"}, "student"),
        ({"student": None}, "student"),
        ({"kind": None}, "kind"),
        ({"value": None}, "value"),
        ({"observed_on": None}, "observed_on"),
    ],
)
def test_it_names_the_bad_field_and_writes_nothing(
    change: dict[str, Any], field: str, world: World, student: Student
) -> None:
    response = client_for(world.teacher).post(
        "/api/signals/", _body(student, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Signal.objects.exists()


def test_it_hides_other_schools_students(world: World, student: Student) -> None:
    for user in (world.outsider, world.network):
        response = client_for(user).post("/api/signals/", _body(student), format="json")
        assert response.status_code == 404
    assert not Signal.objects.exists()


def test_it_lets_any_member_of_staff_record(world: World, student: Student) -> None:
    response = client_for(world.form_tutor).post("/api/signals/", _body(student), format="json")
    assert response.status_code == 201


def test_it_updates_the_same_fact_instead_of_adding_a_second(
    world: World, student: Student
) -> None:
    client = client_for(world.teacher)
    first = client.post("/api/signals/", _body(student), format="json")
    again = client.post("/api/signals/", _body(student), format="json")
    corrected = client.post("/api/signals/", _body(student, value=91), format="json")
    assert (first.status_code, again.status_code, corrected.status_code) == (201, 200, 200)
    assert Signal.objects.get().value == 91
    assert AuditEvent.objects.filter(object_type="signal", action="update").count() == 1


def test_it_keeps_two_different_observations_of_one_day(world: World, student: Student) -> None:
    client = client_for(world.teacher)
    for text in ("Late again", "Argued with a classmate", "Late again"):
        client.post("/api/signals/", _body(student, kind="observation", value=text), format="json")
    assert Signal.objects.filter(kind="observation").count() == 2


def test_it_puts_a_signal_of_a_student_with_an_open_case_on_its_timeline(
    world: World, case: Case
) -> None:
    response = client_for(world.psychologist).post(
        "/api/signals/", _body(case.student, value=70), format="json"
    )
    assert response.json()["case"] == case.pk
    event = CaseEvent.objects.get(case=case, kind="signal")
    assert (event.actor, event.name, event.data["value"]) == (
        world.psychologist,
        "attendance",
        70.0,
    )
    assert Case.objects.filter(student=case.student).count() == 1


def test_it_does_not_repeat_an_unchanged_signal_on_the_timeline(world: World, case: Case) -> None:
    client = client_for(world.teacher)
    for _ in range(2):
        client.post("/api/signals/", _body(case.student), format="json")
    assert CaseEvent.objects.filter(case=case, kind="signal").count() == 1


def test_it_refuses_a_second_flag_while_a_case_is_open(world: World, case: Case) -> None:
    record(case.student, "attendance", 60, datetime.date.today(), actor=world.teacher)
    response = client_for(world.teacher).post(
        "/api/cases/",
        {"student": case.student.pk, "reason": "Attendance 60%", "functions": ["pedagogical"]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["open_case"] == case.pk


def test_it_refreshes_the_students_stored_risk(world: World, student: Student) -> None:
    client_for(world.teacher).post("/api/signals/", _body(student, value=80), format="json")
    assert StudentRisk.objects.get(student=student).level == "high"


def test_it_lists_signals_of_visible_students_only(world: World, student: Student) -> None:
    other = make_student(world.other_school)
    mine = record(student, "behaviour", 1, datetime.date.today())
    record(other, "behaviour", 1, datetime.date.today())
    rows = client_for(world.teacher).get("/api/signals/", {"student": student.pk}).json()
    assert [r["id"] for r in rows["results"]] == [mine.pk]
    assert (
        client_for(world.teacher).get("/api/signals/", {"student": other.pk}).json()["count"] == 0
    )
    assert client_for(world.network).get("/api/signals/").json()["count"] == 0
