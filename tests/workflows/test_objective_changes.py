"""Changing and removing SMART objectives: by coordinators and holders of the case's tasks,
while the plan is open and no progress is recorded; from the API and the case page alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Objective
from tests.conftest import client_for
from tests.factories import World, advance, make_student, objective_fields
from workflows import services
from workflows.models import CaseTask, TaskName

pytestmark = pytest.mark.django_db


def _case(world: World, stage: str) -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Absent",
        functions=["pedagogical"],
    )
    return advance(case, world, stage)


def _objective(world: World, stage: str = "intervention") -> Objective:
    return Objective.objects.get(case=_case(world, stage))


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _form(objective: Objective, **changes: Any) -> dict[str, Any]:
    fields = {
        "description": objective.description,
        "indicator": objective.indicator,
        "baseline": objective.baseline,
        "target": objective.target,
        "deadline": objective.deadline.isoformat(),
        "function": objective.function,
        "owner": objective.owner_id or "",
        **changes,
    }
    return {f"objective{objective.pk}-{name}": value for name, value in fields.items()}


def test_it_changes_what_an_objective_says_and_gives_it_an_owner(world: World) -> None:
    objective = _objective(world)
    response = client_for(world.coordinator).patch(
        f"/api/objectives/{objective.pk}/",
        {"target": "95%", "owner": world.psychologist.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["target"] == "95%"
    assert response.json()["owner"] == world.psychologist.pk
    objective.refresh_from_db()
    assert (objective.target, objective.owner) == ("95%", world.psychologist)
    event = CaseEvent.objects.get(case=objective.case, name="objective_changed")
    assert event.data["changed"] == {
        "target": ["90%", "95%"],
        "owner": [None, world.psychologist.pk],
    }
    assert AuditEvent.objects.filter(
        object_type="objective", object_id=str(objective.pk), action="update"
    ).exists()


def test_it_removes_an_objective_from_the_plan(world: World) -> None:
    objective = _objective(world)
    response = client_for(world.coordinator).delete(f"/api/objectives/{objective.pk}/")
    assert response.status_code == 204
    assert not Objective.objects.filter(pk=objective.pk).exists()
    event = CaseEvent.objects.get(case=objective.case, name="objective_removed")
    assert event.note == objective.description
    assert client_for(world.coordinator).get(f"/api/objectives/{objective.pk}/").status_code == 404


def test_it_refuses_once_progress_is_recorded_naming_the_review(world: World) -> None:
    objective = _objective(world)
    review = services.objective_review(
        objective=objective, actor=world.coordinator, value="71%", status="on_track"
    )
    client = client_for(world.coordinator)
    changed = client.patch(f"/api/objectives/{objective.pk}/", {"target": "99%"}, format="json")
    removed = client.delete(f"/api/objectives/{objective.pk}/")
    for response in (changed, removed):
        assert response.status_code == 409
        assert response.json()["review"] == review.pk
        assert "71%" in response.json()["detail"]
    objective.refresh_from_db()
    assert objective.target == "90%"


def test_it_lets_coordinators_and_task_holders_change_but_not_others(world: World) -> None:
    objective = _objective(world)
    path = f"/api/objectives/{objective.pk}/"
    assert client_for(world.teacher).patch(path, {"target": "1"}, format="json").status_code == 403
    assert client_for(world.teacher).delete(path).status_code == 403
    assert client_for(world.outsider).delete(path).status_code == 404
    task = CaseTask.objects.exclude(name=TaskName.TRIAGE).get(case=objective.case, group=2)
    services.task_claim(case_task=task, actor=world.psychologist)
    held = client_for(world.psychologist).patch(path, {"target": "97%"}, format="json")
    assert held.status_code == 200, held.json()


def test_it_names_the_field_that_is_wrong(world: World) -> None:
    objective = _objective(world)
    client = client_for(world.coordinator)
    path = f"/api/objectives/{objective.pk}/"
    # The form tutor is school staff but no member of the office: the case is not theirs to see.
    stranger = client.patch(path, {"owner": world.form_tutor.pk}, format="json")
    assert stranger.status_code == 400 and "owner" in stranger.json()
    same = client.patch(path, {"target": objective.baseline}, format="json")
    assert same.status_code == 400 and "target" in same.json()
    blank = client.patch(path, {"description": " "}, format="json")
    assert blank.status_code == 400 and "description" in blank.json()


def test_it_refuses_an_owner_of_the_office_who_may_not_see_the_case(world: World) -> None:
    # The external network member sees a case only through an accepted referral.
    case = _case(world, "shared")
    with pytest.raises(Invalid) as refused:
        services.objective_add(
            case=case, actor=world.coordinator, owner=world.network, **objective_fields()
        )
    assert "owner" in refused.value.fields


def test_it_keeps_objectives_once_the_plan_is_closing(world: World) -> None:
    objective = _objective(world, "closing")
    response = client_for(world.coordinator).delete(f"/api/objectives/{objective.pk}/")
    assert response.status_code == 409 and response.json()["stage"] == "closing"


def test_it_changes_and_removes_an_objective_from_the_case_page(world: World) -> None:
    objective = _objective(world)
    client = _client(world.coordinator)
    page = client.get(f"/cases/{objective.case_id}/").content.decode()
    assert f'action="/cases/{objective.case_id}/objectives/{objective.pk}/"' in page
    assert f'action="/cases/{objective.case_id}/objectives/{objective.pk}/remove/"' in page
    changed = client.post(
        f"/cases/{objective.case_id}/objectives/{objective.pk}/",
        _form(objective, indicator="workshop hours", owner=world.psychologist.pk),
    )
    assert changed.status_code == 302
    objective.refresh_from_db()
    assert (objective.indicator, objective.owner) == ("workshop hours", world.psychologist)
    bad = client.post(
        f"/cases/{objective.case_id}/objectives/{objective.pk}/",
        _form(objective, target=objective.baseline),
    )
    assert bad.status_code == 400
    assert "The target must differ from the baseline" in bad.content.decode()
    removed = client.post(f"/cases/{objective.case_id}/objectives/{objective.pk}/remove/")
    assert removed.status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_it_offers_no_change_on_the_page_once_progress_is_recorded(world: World) -> None:
    objective = _objective(world)
    services.objective_review(
        objective=objective, actor=world.coordinator, value="71%", status="on_track"
    )
    client = _client(world.coordinator)
    page = client.get(f"/cases/{objective.case_id}/").content.decode()
    assert f"/objectives/{objective.pk}/remove/" not in page
    refused = client.post(f"/cases/{objective.case_id}/objectives/{objective.pk}/remove/")
    assert refused.status_code == 409
    assert "71%" in refused.content.decode()
    teacher = _client(world.teacher)
    assert (
        teacher.post(f"/cases/{objective.case_id}/objectives/{objective.pk}/remove/").status_code
        == 403
    )


def test_it_refuses_progress_on_an_objective_removed_in_the_meantime(world: World) -> None:
    objective = _objective(world)
    stale = Objective.objects.get(pk=objective.pk)  # as a page drawn before the removal has it
    services.objective_remove(objective=objective, actor=world.coordinator)
    with pytest.raises(Conflict):
        services.objective_review(
            objective=stale, actor=world.coordinator, value="80%", status="on_track"
        )
    with pytest.raises(Conflict):
        services.objective_update(objective=stale, actor=world.coordinator, target="99%")


def test_it_writes_nothing_when_the_form_is_saved_as_it_was(world: World) -> None:
    objective = _objective(world)
    services.objective_update(
        objective=objective,
        actor=world.coordinator,
        target=objective.target,
        deadline=objective.deadline,
        owner=None,
    )
    assert not CaseEvent.objects.filter(case=objective.case, name="objective_changed").exists()


def test_it_refuses_once_evidence_of_progress_is_on_the_timeline(world: World) -> None:
    # As an area writes it (a completed placement linked as the objective's evidence).
    objective = _objective(world)
    event = CaseEvent.objects.create(
        case=objective.case,
        kind=CaseEvent.Kind.OBJECTIVE,
        name="objective_evidence",
        note="Stagiu la SC Exemplu SRL",
        data={"objective": objective.pk},
    )
    response = client_for(world.coordinator).delete(f"/api/objectives/{objective.pk}/")
    assert response.status_code == 409
    assert response.json()["event"] == event.pk
    assert "Stagiu la SC Exemplu SRL" in response.json()["detail"]
    assert Objective.objects.filter(pk=objective.pk).exists()
