"""Each page makes the same number of queries for 10 cases as for 200 (no query per row)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


def _flag(world: World, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        student = make_student(world.school)
        cases.append(
            services.case_flag(
                student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
            )
        )
    return cases


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _same_for_10_and_200(world: World, pages: dict[str, Callable[[], str]]) -> None:
    cases = _flag(world, 10)
    # Some variety: a shared case, a claimed task, an intervention with a plan.
    advance(cases[0], world, "intervention")
    services.task_claim(
        terms=CaseTask.objects.filter(case=cases[1]).first(),  # type: ignore[arg-type]
        actor=world.psychologist,
    )
    clients = {user: _client(world.user(user)) for user in {key.split(" ")[0] for key in pages}}
    small = {key: _queries(clients[key.split(" ")[0]], url()) for key, url in pages.items()}
    _flag(world, 190)
    large = {key: _queries(clients[key.split(" ")[0]], url()) for key, url in pages.items()}
    assert small == large


def test_it_keeps_list_pages_constant_in_queries(world: World) -> None:
    _same_for_10_and_200(
        world,
        {
            "psychologist queue": lambda: "/tasks/queue/",
            "psychologist inbox": lambda: "/tasks/inbox/",
            "psychologist archive": lambda: "/tasks/archive/",
            "psychologist cases": lambda: "/cases/",
            "teacher flagged": lambda: "/cases/flagged/",
            "teacher students": lambda: "/students/",
            "coordinator dashboard": lambda: "/office/",
            "coordinator notifications": lambda: "/notifications/",
        },
    )


def test_it_keeps_the_case_page_constant_in_queries(world: World) -> None:
    student = make_student(world.school)
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
    )
    case = advance(case, world, "intervention")
    client = _client(world.coordinator)
    small = _queries(client, f"/cases/{case.pk}/")
    # Many more timeline events on the same case: the pedagogical task claimed and given back.
    terms = CaseTask.objects.get(case=case, name="pedagogical")
    for _ in range(20):
        services.task_claim(terms=terms, actor=world.psychologist)
        terms = services.task_release(terms=terms, actor=world.psychologist)
    assert case.events.count() > 40
    assert _queries(client, f"/cases/{case.pk}/") == small
