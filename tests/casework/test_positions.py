"""Positions (school duties) and `GET /api/me/`: who may assign them, what is refused, and what
the caller learns about themselves."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import AuditEvent, Position, User
from casework.positions import holds_position, position_holders, positions_held
from casework.services.positions import position_assign
from tests.conftest import client_for
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db


def _director(world: World) -> User:
    director = make_user("director", world.school)
    Position.objects.create(user=director, school=world.school, position="director")
    return director


def _assign(actor: object, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client_for(actor).post("/api/positions/", body, format="json")
    return response.status_code, response.json()


def test_it_lets_the_director_assign_a_form_tutor_to_a_class(world: World) -> None:
    director = _director(world)
    status, body = _assign(
        director, {"user": world.teacher.pk, "position": "form_tutor", "class_name": "10A"}
    )
    assert status == 201
    assert body["position"] == "form_tutor" and body["class_name"] == "10A"
    assert holds_position(world.teacher, "form_tutor", class_name="10A")
    assert AuditEvent.objects.filter(
        object_type="position", object_id=str(body["id"]), action="create"
    ).exists()


def test_it_lets_the_offices_administration_assign_a_position(world: World) -> None:
    status, _ = _assign(world.admin_staff, {"user": world.teacher.pk, "position": "director"})
    assert status == 201
    assert list(position_holders(world.school, "director")) == [world.teacher]


@pytest.mark.parametrize("role", ["teacher", "coordinator", "psychologist", "network", "outsider"])
def test_it_forbids_everyone_else_and_writes_nothing(world: World, role: str) -> None:
    status, _ = _assign(world.user(role), {"user": world.teacher.pk, "position": "director"})
    assert status == 403
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"position": "form_tutor"}, "class_name"),
        ({"position": "director", "class_name": "10A"}, "class_name"),
        ({"position": "janitor"}, "position"),
        (
            {"position": "director", "valid_from": "2026-09-01", "valid_until": "2026-08-31"},
            "valid_until",
        ),
    ],
)
def test_it_refuses_bad_input_naming_the_field(
    world: World, body: dict[str, object], field: str
) -> None:
    status, answer = _assign(world.admin_staff, {"user": world.teacher.pk, **body})
    assert status == 400
    assert field in answer
    assert not Position.objects.exists()


def test_it_refuses_a_member_of_staff_of_another_school(world: World) -> None:
    status, answer = _assign(world.admin_staff, {"user": world.outsider.pk, "position": "director"})
    assert status == 400
    assert "user" in answer


def test_it_answers_409_for_the_same_position_twice(world: World) -> None:
    body = {"user": world.teacher.pk, "position": "study_counsellor"}
    assert _assign(world.admin_staff, body)[0] == 201
    status, answer = _assign(world.admin_staff, body)
    assert status == 409
    assert "detail" in answer
    assert Position.objects.count() == 1


def test_it_names_the_refusal_in_romanian(world: World) -> None:
    client = client_for(world.teacher)
    response = client.post(
        "/api/positions/",
        {"user": world.teacher.pk, "position": "director"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.json()["detail"] == (
        "Doar directorul sau administrația biroului gestionează funcțiile."
    )


def test_it_lists_the_positions_of_ones_own_school_only(world: World) -> None:
    _director(world)
    other = make_user("other_director", world.other_school)
    Position.objects.create(user=other, school=world.other_school, position="director")
    listed = client_for(world.teacher).get("/api/positions/").json()
    assert [row["position"] for row in listed["results"]] == ["director"]
    assert client_for(world.network).get("/api/positions/").json()["count"] == 0


def test_it_tells_the_caller_who_they_are(world: World) -> None:
    Position.objects.create(
        user=world.form_tutor, school=world.school, position="form_tutor", class_name="11A"
    )
    Position.objects.create(user=world.form_tutor, school=world.school, position="study_counsellor")
    assert client_for(world.coordinator).get("/api/me/").json() == {
        "id": world.coordinator.pk,
        "username": "coordinator",
        "first_name": world.coordinator.first_name,
        "last_name": world.coordinator.last_name,
        "school": "DEMO",
        "groups": [1],
        "coordinator": True,
        "external": False,
        "positions": [],
    }
    tutor = client_for(world.form_tutor).get("/api/me/").json()
    assert tutor["groups"] == [] and tutor["coordinator"] is False
    assert tutor["positions"] == [
        {"position": "form_tutor", "class_name": "11A"},
        {"position": "study_counsellor", "class_name": ""},
    ]
    network = client_for(world.network).get("/api/me/").json()
    assert (network["groups"], network["external"], network["school"]) == ([3], True, None)
    assert Client().get("/api/me/").status_code in (401, 403)


def test_it_leaves_out_positions_that_have_not_started_or_have_ended(world: World) -> None:
    today = timezone.localdate()
    Position.objects.create(
        user=world.teacher,
        school=world.school,
        position="director",
        valid_until=today - datetime.timedelta(days=1),
    )
    Position.objects.create(
        user=world.teacher,
        school=world.school,
        position="deputy_director",
        valid_from=today + datetime.timedelta(days=1),
    )
    Position.objects.create(
        user=world.teacher, school=world.school, position="head_of_section", valid_until=today
    )
    assert [held.position for held in positions_held(world.teacher)] == ["head_of_section"]
    assert not holds_position(world.teacher, "director")


def test_it_shows_the_positions_in_the_user_menu_in_romanian(world: World) -> None:
    Position.objects.create(
        user=world.form_tutor, school=world.school, position="form_tutor", class_name="11A"
    )
    client = Client()
    client.force_login(world.form_tutor)
    html = client.get("/students/watchlist/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "Funcții: diriginte 11A" in html


def test_it_reads_todays_positions_once_per_user_object(
    world: World, django_assert_num_queries: Any
) -> None:
    Position.objects.create(user=world.teacher, school=world.school, position="director")
    with django_assert_num_queries(1):
        assert holds_position(world.teacher, "director")
        assert not holds_position(world.teacher, "deputy_director")
        assert [held.position for held in positions_held(world.teacher)] == ["director"]


def test_it_reads_the_positions_again_after_an_assignment(world: World) -> None:
    director = _director(world)
    assert not holds_position(world.teacher, "form_tutor", class_name="10A")
    position_assign(
        actor=director,
        school=world.school,
        user=world.teacher,
        position="form_tutor",
        class_name="10A",
    )
    assert holds_position(world.teacher, "form_tutor", class_name="10A")
