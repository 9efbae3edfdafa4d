"""Progress reviews of SMART objectives: the indicator's value over time and the status."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Case, Objective
from tests.conftest import client_for
from tests.factories import World, advance

pytestmark = pytest.mark.django_db


def _objective(world: World, case: Case) -> Objective:
    advance(case, world, "intervention")
    return Objective.objects.get(case=case)


def test_it_records_progress_and_moves_the_status(world: World, case: Case) -> None:
    objective = _objective(world, case)
    client = client_for(world.coordinator)
    path = f"/api/objectives/{objective.pk}/reviews/"
    first = client.post(path, {"value": "70%", "status": "at_risk", "note": "slow"}, format="json")
    assert first.status_code == 201, first.json()
    client.post(path, {"value": "92%", "status": "met"}, format="json")
    assert [r["value"] for r in client.get(path).json()] == ["70%", "92%"]
    objective.refresh_from_db()
    assert objective.status == "met"
    assert case.events.filter(name="objective_reviewed").count() == 2


def test_it_calls_an_objective_missed_only_after_its_deadline(world: World, case: Case) -> None:
    objective = _objective(world, case)
    path = f"/api/objectives/{objective.pk}/reviews/"
    client = client_for(world.coordinator)
    early = client.post(path, {"value": "60%", "status": "missed"}, format="json")
    assert early.status_code == 400 and "status" in early.json()
    assert client.post(path, {"value": " ", "status": "on_track"}, format="json").status_code == 400
    with time_machine.travel(objective.deadline + datetime.timedelta(days=1)):
        late = client.post(path, {"value": "60%", "status": "missed"}, format="json")
    assert late.status_code == 201


def test_it_lets_the_owner_and_task_holders_review_but_not_others(world: World, case: Case) -> None:
    objective = _objective(world, case)
    path = f"/api/objectives/{objective.pk}/reviews/"
    body = {"value": "80%", "status": "on_track"}
    assert client_for(world.teacher).post(path, body, format="json").status_code == 403
    Objective.objects.filter(pk=objective.pk).update(owner=world.teacher)
    assert client_for(world.teacher).post(path, body, format="json").status_code == 201
    assert client_for(world.outsider).post(path, body, format="json").status_code == 404


def test_it_reviews_only_during_the_intervention_and_closing(world: World, case: Case) -> None:
    case = advance(case, world, "shared")
    from tests.factories import objective_fields
    from workflows import services

    objective = services.objective_add(case=case, actor=world.coordinator, **objective_fields())
    response = client_for(world.coordinator).post(
        f"/api/objectives/{objective.pk}/reviews/",
        {"value": "1", "status": "on_track"},
        format="json",
    )
    assert response.status_code == 409
