"""Claiming, releasing, reassigning and completing tasks, over the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from viewflow.workflow.status import STATUS

from casework.models import Case, Stage
from tests.conftest import client_for
from tests.factories import World, advance, make_student, reload
from workflows import services
from workflows.models import CaseTask, Notification

pytestmark = pytest.mark.django_db


def _triage(case: Case) -> CaseTask:
    return CaseTask.objects.get(case=case, name="triage")


def _post(world: World, who: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
    return client_for(world.user(who)).post(path, body or {}, format="json")


def test_it_lets_a_group_2_member_claim_triage_and_tells_the_other(
    world: World, case: Case
) -> None:
    case_task = _triage(case)
    response = _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["owner"], body["group"], body["case"]) == (
        "claimed",
        world.psychologist.pk,
        2,
        case.pk,
    )
    told = Notification.objects.get(recipient=world.psychologist2, kind="task.claimed")
    assert (told.case_id, told.task_id, told.data["by"]) == (
        case.pk,
        case_task.pk,
        world.psychologist.pk,
    )
    assert not Notification.objects.filter(
        recipient=world.psychologist, kind="task.claimed"
    ).exists()
    assert case.events.filter(name="task_claimed").exists()


def test_it_answers_a_second_claim_by_the_holder_with_200(world: World, case: Case) -> None:
    path = f"/api/tasks/{_triage(case).pk}/claim/"
    assert _post(world, "psychologist", path).status_code == 200
    assert _post(world, "psychologist", path).status_code == 200
    assert case.events.filter(name="task_claimed").count() == 1


def test_it_refuses_a_claim_of_a_claimed_task_with_409(world: World, case: Case) -> None:
    path = f"/api/tasks/{_triage(case).pk}/claim/"
    _post(world, "psychologist", path)
    response = _post(world, "psychologist2", path)
    assert response.status_code == 409
    assert response.json()["status"] == "claimed"


@pytest.mark.parametrize(
    "who,stage,expected",
    [
        ("social", "monitoring", 404),  # group 3 cannot see a monitoring case
        ("network", "monitoring", 404),
        ("outsider", "monitoring", 404),
        ("teacher", "monitoring", 403),  # the flagger sees the case, but triage is group 2's
        ("coordinator", "monitoring", 403),
    ],
)
def test_it_keeps_triage_to_group_2(
    who: str, stage: str, expected: int, world: World, case: Case
) -> None:
    case_task = _triage(advance(case, world, stage))
    assert _post(world, who, f"/api/tasks/{case_task.pk}/claim/").status_code == expected
    case_task.task.refresh_from_db()
    assert case_task.task.owner_id is None


def test_it_refuses_a_group_3_member_a_group_2_task_of_a_shared_case(
    world: World, case: Case
) -> None:
    case = advance(case, world, "shared")
    assert _post(world, "social", f"/api/tasks/{_triage(case).pk}/claim/").status_code == 403


def test_it_releases_a_task_and_offers_it_again(world: World, case: Case) -> None:
    case_task = _triage(case)
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    assert _post(world, "psychologist2", f"/api/tasks/{case_task.pk}/release/").status_code == 403
    response = _post(world, "psychologist", f"/api/tasks/{case_task.pk}/release/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["owner"]) == ("open", None)
    assert (
        Notification.objects.filter(
            recipient=world.psychologist2, kind="task.available", task_id=case_task.pk
        ).count()
        == 2
    )  # when created, and again when given back
    assert _post(world, "psychologist", f"/api/tasks/{case_task.pk}/release/").status_code == 409
    assert _post(world, "psychologist2", f"/api/tasks/{case_task.pk}/claim/").status_code == 200


def test_it_lets_only_coordinators_reassign_to_someone_offered_the_task(
    world: World, case: Case
) -> None:
    case_task = _triage(case)
    path = f"/api/tasks/{case_task.pk}/reassign/"
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    assert _post(world, "psychologist", path, {"to": world.psychologist2.pk}).status_code == 403
    refused = _post(world, "coordinator", path, {"to": world.social.pk})
    assert refused.status_code == 400 and "to" in refused.json()
    response = _post(world, "coordinator", path, {"to": world.psychologist2.pk})
    assert response.status_code == 200
    assert response.json()["owner"] == world.psychologist2.pk
    assert Notification.objects.filter(recipient=world.psychologist2, kind="task.assigned").exists()
    assert Notification.objects.filter(recipient=world.psychologist, kind="task.claimed").exists()


TRIAGE = {
    "summary": "Absent since the family moved",
    "priority": "high",
    "recommended_functions": ["pedagogical", "socio_economic"],
}


def test_it_completes_triage_sharing_the_case_with_the_recommended_functions(
    world: World, case: Case
) -> None:
    case_task = _triage(case)
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    response = _post(world, "psychologist", f"/api/tasks/{case_task.pk}/complete/", TRIAGE)
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    case = reload(case)
    assert case.stage == Stage.SHARED
    assert case.functions == ["pedagogical", "socio_economic"]
    case_task.task.refresh_from_db()
    assert case_task.task.data["result"]["priority"] == 1
    shared = case.events.get(kind="transition", name="share")
    assert shared.actor == world.psychologist
    # Everyone who now sees the shared case hears of it, except whoever shared it.
    told = set(
        Notification.objects.filter(kind="case.stage_changed", case=case).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"teacher", "psychologist2", "coordinator", "social", "admin_staff"}


def test_it_completes_triage_of_an_already_shared_case_without_sharing_again(
    world: World, case: Case
) -> None:
    case = advance(case, world, "shared")
    case_task = _triage(case)
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    assert (
        _post(world, "psychologist", f"/api/tasks/{case_task.pk}/complete/", TRIAGE).status_code
        == 200
    )
    assert reload(case).events.filter(kind="transition").count() == 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"summary": ""}, "summary"),
        ({"priority": 7}, "priority"),
        ({"priority": "urgent"}, "priority"),
        ({"recommended_functions": []}, "recommended_functions"),
        ({"recommended_functions": ["magic"]}, "recommended_functions"),
    ],
)
def test_it_names_the_bad_triage_field_and_changes_nothing(
    change: dict[str, object], field: str, world: World, case: Case
) -> None:
    case_task = _triage(case)
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    response = _post(
        world, "psychologist", f"/api/tasks/{case_task.pk}/complete/", {**TRIAGE, **change}
    )
    assert response.status_code == 400
    assert field in response.json()
    case_task.task.refresh_from_db()
    assert case_task.task.status == STATUS.ASSIGNED
    assert reload(case).stage == Stage.MONITORING


def test_it_completes_only_a_task_you_hold(world: World, case: Case) -> None:
    case_task = _triage(case)
    path = f"/api/tasks/{case_task.pk}/complete/"
    assert _post(world, "psychologist", path, TRIAGE).status_code == 409  # claim it first
    assert _post(world, "coordinator", path, TRIAGE).status_code == 403
    _post(world, "psychologist", f"/api/tasks/{case_task.pk}/claim/")
    assert _post(world, "psychologist2", path, TRIAGE).status_code == 403
    assert _post(world, "psychologist", path, TRIAGE).status_code == 200
    assert _post(world, "psychologist", path, TRIAGE).status_code == 409


def test_it_lets_a_task_holder_add_objectives(world: World, case: Case) -> None:
    from tests.factories import objective_fields

    case = advance(case, world, "shared")
    body = {**objective_fields(), "deadline": str(objective_fields()["deadline"])}
    path = f"/api/cases/{case.pk}/objectives/"
    assert _post(world, "psychologist", path, body).status_code == 403
    services.task_claim(case_task=_triage(case), actor=world.psychologist)
    assert _post(world, "psychologist", path, body).status_code == 201


def test_it_offers_an_external_member_nothing_of_cases_they_are_not_invited_to(
    world: World,
) -> None:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["socio_economic"],
    )
    case = advance(case, world, "intervention")
    case_task = CaseTask.objects.get(case=case, name="socio_economic")
    client = client_for(world.network)
    assert client.get("/api/tasks/", {"scope": "available"}).json()["count"] == 0
    assert client.get(f"/api/tasks/{case_task.pk}/").status_code == 404
    assert client.post(f"/api/tasks/{case_task.pk}/claim/").status_code == 404
    assert not Notification.objects.filter(recipient=world.network).exists()
    # ... while the internal social worker is offered it.
    available = client_for(world.social).get("/api/tasks/", {"scope": "available"}).json()
    assert [t["id"] for t in available["results"]] == [case_task.pk]
