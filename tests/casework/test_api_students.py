"""Registering and reading students over the API."""

from __future__ import annotations

import pytest

from casework.models import AuditEvent, Student
from tests.conftest import client_for
from tests.factories import World, make_student

VALID = {
    "code": "D-77",
    "first_name": "Ana",
    "last_name": "Pop",
    "class_name": "9B",
    "programme": "Electrician",
    "birth_date": "2010-04-05",
}


def test_it_registers_a_student_in_the_users_school(world: World) -> None:
    response = client_for(world.teacher).post("/api/students/", VALID, format="json")
    assert response.status_code == 201
    student = Student.objects.get(pk=response.json()["id"])
    assert student.school == world.school
    assert str(student.birth_date) == "2010-04-05"
    assert AuditEvent.objects.filter(
        action="create", object_type="student", object_id=str(student.pk)
    ).exists()


def test_it_refuses_a_duplicate_code_in_the_same_school(world: World) -> None:
    make_student(world.school, code="D-77")
    response = client_for(world.teacher).post("/api/students/", VALID, format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert Student.objects.filter(code="D-77").count() == 1


def test_it_allows_the_same_code_in_another_school(world: World) -> None:
    make_student(world.other_school, code="D-77")
    response = client_for(world.teacher).post("/api/students/", VALID, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "change,field",
    [
        ({"birth_date": "05.04.2010"}, "birth_date"),
        ({"birth_date": "2010-13-40"}, "birth_date"),
        ({"code": ""}, "code"),
        ({"first_name": ""}, "first_name"),
        ({"class_name": None}, "class_name"),
    ],
)
def test_it_names_the_bad_field_and_writes_nothing(
    change: dict[str, object], field: str, world: World
) -> None:
    response = client_for(world.coordinator).post(
        "/api/students/", {**VALID, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Student.objects.exists()


def test_it_names_every_missing_field(world: World) -> None:
    response = client_for(world.admin_staff).post("/api/students/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "first_name", "last_name", "class_name", "programme"}


def test_it_lists_only_students_of_the_users_school(world: World) -> None:
    mine = make_student(world.school)
    make_student(world.other_school)
    results = client_for(world.teacher).get("/api/students/").json()["results"]
    assert [row["id"] for row in results] == [mine.pk]
    assert client_for(world.network).get("/api/students/").json()["count"] == 0


def test_it_finds_students_by_name_or_code(world: World) -> None:
    wanted = make_student(world.school, first_name="Ștefan", last_name="Țurcanu", code="X-1")
    make_student(world.school, first_name="Ana", last_name="Pop")
    client = client_for(world.teacher)
    assert [r["id"] for r in client.get("/api/students/", {"q": "Țurcanu"}).json()["results"]] == [
        wanted.pk
    ]
    assert [r["id"] for r in client.get("/api/students/", {"q": "x-1"}).json()["results"]] == [
        wanted.pk
    ]
