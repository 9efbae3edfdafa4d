"""Task and notification lists over the API: scopes, filters, shape, need to know."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from casework.models import Case
from tests.conftest import client_for
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask, Notification

pytestmark = pytest.mark.django_db


def _ids(world: World, who: str, **params: Any) -> list[int]:
    body = client_for(world.user(who)).get("/api/tasks/", params).json()
    return [row["id"] for row in body["results"]]


def test_it_gives_each_task_in_the_contract_shape(world: World, case: Case) -> None:
    row = (
        client_for(world.psychologist)
        .get("/api/tasks/", {"scope": "available"})
        .json()["results"][0]
    )
    assert set(row) >= {"id", "case", "name", "group", "status", "owner", "due"}
    assert isinstance(row["group"], int) and 1 <= row["group"] <= 4
    assert row["status"] == "open" and row["owner"] is None
    assert datetime.datetime.fromisoformat(row["due"]) > datetime.datetime.now(datetime.UTC)


def test_it_separates_available_from_mine(world: World, case: Case) -> None:
    case_task = CaseTask.objects.get(case=case)
    assert _ids(world, "psychologist", scope="available") == [case_task.pk]
    assert _ids(world, "psychologist", scope="mine") == []
    services.task_claim(case_task=case_task, actor=world.psychologist)
    assert _ids(world, "psychologist", scope="available") == []
    assert _ids(world, "psychologist", scope="mine") == [case_task.pk]
    assert _ids(world, "psychologist2", scope="available") == []
    assert _ids(world, "psychologist2", scope="mine") == []


def test_it_offers_each_group_only_its_own_tasks(world: World) -> None:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["information", "pedagogical", "socio_economic", "administrative"],
    )
    case = advance(case, world, "intervention")
    names = {t.pk: t.name for t in CaseTask.objects.filter(case=case)}
    offered = {
        who: {names[i] for i in _ids(world, who, scope="available")}
        for who in [
            "teacher",
            "psychologist",
            "social",
            "admin_staff",
            "coordinator",
            "form_tutor",
            "network",
            "outsider",
        ]
    }
    assert offered == {
        "teacher": {"information"},
        "psychologist": {"pedagogical"},
        "social": {"socio_economic"},
        "admin_staff": {"administrative"},
        "coordinator": {"information"},  # a coordinator works in their own group too
        "form_tutor": set(),
        "network": set(),
        "outsider": set(),
    }


def test_it_filters_by_case_group_and_overdue(world: World, case: Case) -> None:
    other = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="r",
        functions=["pedagogical"],
    )
    first = CaseTask.objects.get(case=case)
    assert _ids(world, "coordinator", case=case.pk) == [first.pk]
    assert len(_ids(world, "coordinator", group=2)) == 2
    assert _ids(world, "coordinator", group=3) == []
    assert _ids(world, "coordinator", overdue="true") == []
    with time_machine.travel(first.due_at + datetime.timedelta(minutes=5), tick=False):
        assert set(_ids(world, "coordinator", overdue="true")) == {
            first.pk,
            CaseTask.objects.get(case=other).pk,
        }
    bad = client_for(world.coordinator).get("/api/tasks/", {"scope": "everything"})
    assert bad.status_code == 400 and "scope" in bad.json()
    bad = client_for(world.coordinator).get("/api/tasks/", {"group": "two"})
    assert bad.status_code == 400 and "group" in bad.json()


def test_it_hides_tasks_of_invisible_cases(world: World, case: Case) -> None:
    case_task = CaseTask.objects.get(case=case)
    for who in ("social", "admin_staff", "network", "form_tutor", "outsider"):
        assert client_for(world.user(who)).get(f"/api/tasks/{case_task.pk}/").status_code == 404
        assert _ids(world, who) == []
    assert client_for(world.teacher).get(f"/api/tasks/{case_task.pk}/").status_code == 200


def test_it_lists_and_marks_notifications_read(world: World, case: Case) -> None:
    client = client_for(world.psychologist)
    listing = client.get("/api/notifications/", {"unread": "1"}).json()
    assert [(n["type"], n["case"]) for n in listing["results"]] == [("task.available", case.pk)]
    note_id = listing["results"][0]["id"]
    assert (
        client_for(world.psychologist2).post(f"/api/notifications/{note_id}/read/").status_code
        == 404
    )
    response = client.post(f"/api/notifications/{note_id}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get("/api/notifications/", {"unread": "1"}).json()["count"] == 0
    assert (
        client_for(world.psychologist2).post("/api/notifications/read-all/").json()["marked_read"]
        == 1
    )
    assert not Notification.objects.filter(
        read_at__isnull=True, recipient=world.psychologist2
    ).exists()
