"""The case API: flagging, reading, transitions and objectives, end to end."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from casework.models import AuditEvent, Case, CaseEvent, Membership, Objective, Student
from tests.conftest import client_for
from tests.factories import World, advance, make_student, objective_fields


def _flag(world: World, who: Student, **body: object) -> Any:
    payload = {"student": who.pk, "reason": "Absent for two weeks", "functions": ["pedagogical"]}
    payload.update(body)
    return client_for(world.teacher).post("/api/cases/", payload, format="json")


def test_it_opens_a_case_in_monitoring_with_a_timeline(world: World, student: Student) -> None:
    response = _flag(world, student, functions=["socio_economic", "pedagogical", "pedagogical"])
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "monitoring"
    assert body["student"] == student.pk
    assert body["functions"] == ["pedagogical", "socio_economic"]
    assert [(e["kind"], e["name"]) for e in body["timeline"]] == [
        ("flagged", "flag"),
        ("task", "task_created"),
    ]
    assert body["timeline"][0]["actor"]["id"] == world.teacher.pk
    [triage] = body["tasks"]
    assert (triage["name"], triage["group"], triage["status"], triage["owner"]) == (
        "triage",
        2,
        "open",
        None,
    )
    assert set(body) >= {"id", "stage", "student", "functions", "timeline", "tasks"}


def test_it_answers_a_flag_with_the_case_as_its_page_reads_it(
    world: World, student: Student
) -> None:
    # The answer is built from the rows the flag wrote, not read back: it must be the same.
    earlier = Case.objects.get(pk=_flag(world, student).json()["id"])
    advance(earlier, world, "archived")
    flagged = _flag(world, student, functions=["information", "pedagogical"])
    assert flagged.status_code == 201
    read = client_for(world.teacher).get(f"/api/cases/{flagged.json()['id']}/")
    assert flagged.json() == read.json()
    assert flagged.json()["previous_case"] == earlier.pk


def test_it_refuses_a_second_open_case_naming_the_open_one(world: World, student: Student) -> None:
    first = _flag(world, student).json()
    second = _flag(world, student)
    assert second.status_code == 409
    assert second.json()["open_case"] == first["id"]
    assert str(first["id"]) in second.json()["detail"]
    assert Case.objects.filter(student=student).count() == 1


def test_it_links_a_new_case_to_the_students_previous_closed_case(
    world: World, student: Student
) -> None:
    first = Case.objects.get(pk=_flag(world, student).json()["id"])
    advance(first, world, "archived")
    second = _flag(world, student).json()
    assert Case.objects.get(pk=second["id"]).previous_case_id == first.pk


@pytest.mark.parametrize(
    "body,field",
    [
        ({"functions": ["magic"]}, "functions"),
        ({"functions": []}, "functions"),
        ({"functions": "pedagogical"}, "functions"),
        ({"reason": ""}, "reason"),
        ({"student": "abc"}, "student"),
        ({"student": None}, "student"),
    ],
)
def test_it_answers_bad_flag_input_with_the_field_and_writes_nothing(
    body: dict[str, object], field: str, world: World, student: Student
) -> None:
    last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = _flag(world, student, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()
    new_audit = AuditEvent.objects.filter(id__gt=last_audit)
    assert set(new_audit.values_list("action", flat=True)) <= {"read"}


def test_it_refuses_to_flag_into_an_office_that_is_not_operational(
    world: World, student: Student
) -> None:
    Membership.objects.filter(user=world.admin_staff).update(active=False)
    response = _flag(world, student)
    assert response.status_code == 409
    assert response.json()["missing_groups"] == [4]
    assert "nu este operațional" in response.json()["detail"]
    assert not Case.objects.exists()


def test_it_moves_a_case_through_every_step_over_the_api(world: World, student: Student) -> None:
    case_id = _flag(world, student).json()["id"]
    teacher, coordinator = client_for(world.teacher), client_for(world.coordinator)
    base = f"/api/cases/{case_id}"

    early = teacher.post(f"{base}/transitions/share/", {"note": "for the meeting"})
    assert early.status_code == 409 and early.json()["code"] == "triage_pending"
    assert coordinator.post(f"{base}/transitions/share/", {"note": "urgent"}).status_code == 200
    refused = coordinator.post(f"{base}/transitions/start_intervention/", {}, format="json")
    assert refused.status_code == 409 and "SMART" in refused.json()["detail"]

    objective = {**objective_fields(), "deadline": str(objective_fields()["deadline"])}
    assert coordinator.post(f"{base}/objectives/", objective, format="json").status_code == 201
    assert coordinator.post(f"{base}/transitions/start_intervention/", {}).status_code == 200
    assert (
        coordinator.post(
            f"{base}/transitions/start_closing/", {"cancel_open_tasks": True}, format="json"
        ).status_code
        == 200
    )
    assert coordinator.post(f"{base}/transitions/archive/", {}).status_code == 409
    review = {"feedback": "f", "objectives_met": "partly", "impact": "i", "lessons_learned": "l"}
    assert coordinator.post(f"{base}/closing-review/", review, format="json").status_code == 201
    again = coordinator.post(f"{base}/closing-review/", review, format="json")
    assert again.status_code == 409
    patched = coordinator.patch(f"{base}/closing-review/", {"impact": "more"}, format="json")
    assert patched.status_code == 200 and patched.json()["impact"] == "more"
    final = coordinator.post(f"{base}/transitions/archive/", {"note": "done"})
    assert final.status_code == 200
    body = final.json()
    assert body["stage"] == "archived"
    assert [
        (e["from_stage"], e["to_stage"]) for e in body["timeline"] if e["kind"] == "transition"
    ] == [
        ("monitoring", "shared"),
        ("shared", "intervention"),
        ("intervention", "closing"),
        ("closing", "archived"),
    ]
    late = coordinator.patch(f"{base}/closing-review/", {"impact": "late"}, format="json")
    assert late.status_code == 409


def test_it_answers_an_unknown_transition_with_404(world: World, case: Case) -> None:
    before = CaseEvent.objects.filter(case=case).count()
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/transitions/teleport/", {})
    assert response.status_code == 404
    assert "teleport" in response.json()["detail"]
    assert CaseEvent.objects.filter(case=case).count() == before


def test_it_names_the_note_when_withdrawing_without_a_reason(world: World, case: Case) -> None:
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/transitions/withdraw/", {})
    assert response.status_code == 400
    assert "note" in response.json()
    case.refresh_from_db()
    assert case.stage == "monitoring"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "31/12/2030"}, "deadline"),
        ({"deadline": str(datetime.date.today())}, "deadline"),
        ({"indicator": ""}, "indicator"),
        ({"target": "60%"}, "target"),
        ({"function": "information"}, "function"),
        ({"owner": 999999}, "owner"),
    ],
)
def test_it_checks_each_smart_rule_naming_the_field(
    change: dict[str, str], field: str, world: World, case: Case
) -> None:
    case = advance(case, world, "shared")
    body = {**objective_fields(), "deadline": str(objective_fields()["deadline"]), **change}
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/objectives/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Objective.objects.exists()


def test_it_refuses_an_objective_owner_outside_the_office(world: World, case: Case) -> None:
    case = advance(case, world, "shared")
    body = {
        **objective_fields(),
        "deadline": str(objective_fields()["deadline"]),
        "owner": world.outsider.pk,
    }
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/objectives/", body, format="json"
    )
    assert response.status_code == 400 and "owner" in response.json()


def test_it_refuses_objectives_outside_the_planning_stages(world: World, case: Case) -> None:
    body = {**objective_fields(), "deadline": str(objective_fields()["deadline"])}
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/objectives/", body, format="json"
    )
    assert response.status_code == 409


def test_it_lists_only_visible_cases(world: World) -> None:
    mine = _flag(world, make_student(world.school)).json()["id"]
    from workflows.services import case_flag

    case_flag(
        student=make_student(world.school),
        actor=world.form_tutor,
        reason="Quiet",
        functions=["information"],
    )
    ids = [row["id"] for row in client_for(world.teacher).get("/api/cases/").json()["results"]]
    assert ids == [mine]
    assert client_for(world.outsider).get("/api/cases/").json()["count"] == 0
    assert client_for(world.coordinator).get("/api/cases/").json()["count"] == 2
