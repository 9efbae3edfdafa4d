"""The outcomes over the API: the period's parameters, the school's own figures only."""

from __future__ import annotations

import datetime

import pytest

from casework.models import User
from tests.conftest import client_for
from tests.factories import World, make_student
from tests.plans.conftest import TODAY, flag

pytestmark = pytest.mark.django_db


def test_it_reads_the_kpis_of_the_period(world: World, today: datetime.date) -> None:
    flag(world, make_student(world.school), datetime.date(2026, 3, 1), ["pedagogical"])
    flag(world, make_student(world.school), datetime.date(2025, 3, 1), ["pedagogical"])
    response = client_for(world.coordinator).get(
        "/api/office/kpis/", {"from": "2026-01-01", "to": "2026-06-30"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["closure"]["flagged"]) == ("2026-01-01", "2026-06-30", 1)
    assert [h["months"] for h in body["retention"]] == [6, 12]


def test_it_reads_a_year_to_today_without_a_period(world: World, today: datetime.date) -> None:
    body = client_for(world.coordinator).get("/api/office/effectiveness/").json()
    assert (body["from"], body["to"]) == ("2025-06-30", TODAY.isoformat())
    assert (body["cells"], body["min_students"], body["horizon_months"]) == ([], 5, 12)


@pytest.mark.parametrize(
    "query,field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "from"),
    ],
)
def test_it_names_the_bad_date(world: World, query: dict[str, str], field: str) -> None:
    response = client_for(world.coordinator).get("/api/office/kpis/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_it_shows_another_school_nothing_of_ours(
    world: World, readers: dict[str, User], today: datetime.date
) -> None:
    flag(world, make_student(world.school), datetime.date(2026, 3, 1), ["pedagogical"])
    body = client_for(readers["other_director"]).get("/api/office/kpis/").json()
    assert body["closure"]["flagged"] == 0


def test_it_shows_the_enrolment_in_the_students_json(world: World) -> None:
    student = make_student(world.school, status="dropped_out", left_on=datetime.date(2025, 3, 1))
    body = client_for(world.coordinator).get(f"/api/students/{student.pk}/").json()
    assert (body["status"], body["left_on"]) == ("dropped_out", "2025-03-01")
