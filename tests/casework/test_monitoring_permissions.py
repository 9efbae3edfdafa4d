"""Every role against every monitoring endpoint: not visible 404, visible but not allowed 403."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from casework.models import Instrument, Item
from tests.conftest import client_for
from tests.factories import World, make_student
from tests.test_permission_matrix import ROLES, _expect

Call = Callable[[World], tuple[str, str, dict[str, Any] | None]]

SCHOOL_STAFF_AND_MEMBERS = _expect(
    teacher=201,
    psychologist=201,
    psychologist2=201,
    social=201,
    network=404,
    admin_staff=201,
    coordinator=201,
    form_tutor=201,
    outsider=404,
)


def _signal(world: World) -> tuple[str, str, dict[str, Any]]:
    student = make_student(world.school)
    body = {
        "student": student.pk,
        "kind": "behaviour",
        "value": 1,
        "observed_on": datetime.date.today().isoformat(),
    }
    return "post", "/api/signals/", body


def _risk(world: World) -> tuple[str, str, None]:
    return "get", f"/api/students/{make_student(world.school).pk}/risk/", None


def _assessments(world: World) -> tuple[str, str, None]:
    return "get", f"/api/students/{make_student(world.school).pk}/assessments/", None


def _link(kind: str) -> Call:
    def call(world: World) -> tuple[str, str, dict[str, Any]]:
        instrument = Instrument.objects.create(code=f"i-{kind}", name=kind, kind=kind)
        Item.objects.create(instrument=instrument, position=1, text="An item")
        student = make_student(world.school)
        return (
            "post",
            f"/api/students/{student.pk}/instrument-links/",
            {"instrument": instrument.code},
        )

    return call


MATRIX: list[tuple[str, Call, list[tuple[str, int]]]] = [
    ("record signal", _signal, SCHOOL_STAFF_AND_MEMBERS),
    (
        "read risk",
        _risk,
        [(role, 200 if status == 201 else status) for role, status in SCHOOL_STAFF_AND_MEMBERS],
    ),
    (
        "read assessments",
        _assessments,
        [(role, 200 if status == 201 else status) for role, status in SCHOOL_STAFF_AND_MEMBERS],
    ),
    ("watchlist", lambda world: ("get", "/api/watchlist/", None), [(r, 200) for r in ROLES]),
    ("instruments", lambda world: ("get", "/api/instruments/", None), [(r, 200) for r in ROLES]),
    ("give self-assessment", _link("self_assessment"), SCHOOL_STAFF_AND_MEMBERS),
    (
        "give psychometric test",
        _link("psychometric"),
        _expect(
            teacher=403,
            psychologist=201,
            psychologist2=201,
            social=403,
            network=404,
            admin_staff=403,
            coordinator=201,
            form_tutor=403,
            outsider=404,
        ),
    ),
]


@pytest.mark.parametrize(
    "label,call,role,expected",
    [(label, call, role, status) for label, call, pairs in MATRIX for role, status in pairs],
    ids=[f"{label}-{role}" for label, _, pairs in MATRIX for role, _ in pairs],
)
def test_it_answers_each_role_with_the_exact_status(
    label: str, call: Call, role: str, expected: int, world: World
) -> None:
    method, path, body = call(world)
    response = getattr(client_for(world.user(role)), method)(path, body, format="json")
    assert response.status_code == expected, (label, role, response.json())


@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/api/signals/"),
        ("post", "/api/signals/import/"),
        ("get", "/api/students/1/risk/"),
        ("get", "/api/watchlist/"),
    ],
)
def test_it_refuses_anonymous_callers(method: str, path: str, world: World) -> None:
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code == 401
