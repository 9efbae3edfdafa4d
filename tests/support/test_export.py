"""The mobility export: Erasmus+ participations confirmed or further whose activity starts in
the school year, accompanying staff with their role, formula-safe cells, managers only."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from support.export import safe, school_year_bounds
from support.models import Participation
from support.services import participation_propose, participation_transition, partner_add
from tests.conftest import client_for
from tests.factories import make_student
from tests.support.conftest import Scene

pytestmark = pytest.mark.django_db


def _confirmed(scene: Scene, participation: Participation) -> None:
    for name in ("select", "confirm"):
        participation_transition(
            actor=scene.world.coordinator, participation=participation, name=name
        )


def test_it_reads_the_school_year() -> None:
    assert school_year_bounds("2025-2026") == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )


def test_it_neutralises_cells_a_spreadsheet_would_run() -> None:
    assert [safe(v) for v in ("=1+1", "+4", "-2", "@x", "Ana", 3)] == [
        "'=1+1",
        "'+4",
        "'-2",
        "'@x",
        "Ana",
        3,
    ]


def test_it_exports_the_years_mobilities(scene: Scene) -> None:
    host = partner_add(
        actor=scene.world.coordinator, name="=HYPERLINK(x)", kind="school", country="ES"
    )
    mobility = scene.opportunity("short_term_mobility", days=20, partner=host)
    placement = scene.opportunity("practice_placement", days=20)
    adult = make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1))
    learner = participation_propose(
        actor=scene.world.coordinator, opportunity=mobility, role="learner", student=adult
    )
    teacher = participation_propose(
        actor=scene.world.coordinator,
        opportunity=mobility,
        role="accompanying",
        staff=scene.world.teacher,
    )
    local = participation_propose(
        actor=scene.world.coordinator, opportunity=placement, role="learner", student=adult
    )
    proposed_only = participation_propose(
        actor=scene.world.coordinator,
        opportunity=mobility,
        role="learner",
        student=make_student(scene.world.school),
    )
    for participation in (learner, teacher, local):
        _confirmed(scene, participation)
    answer = client_for(scene.world.coordinator).get(
        "/api/opportunities/export.xlsx?school_year=2025-2026"
    )
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("activity_type", "participant", "role")
    body = rows[1:]
    assert [(r[0], r[2]) for r in body] == [
        ("short_term_mobility", "learner"),
        ("short_term_mobility", "accompanying"),
    ]
    assert body[0][4] == "'=HYPERLINK(x)" and body[0][5] == "ES"
    assert body[0][8] == 20 and body[0][10] == 1
    assert proposed_only.pk not in [r[1] for r in body]
    empty = client_for(scene.world.coordinator).get(
        "/api/opportunities/export.xlsx?school_year=2026-2027"
    )
    assert len(list(load_workbook(io.BytesIO(empty.content)).active.iter_rows())) == 1


def test_it_refuses_the_export_to_non_managers_and_a_bad_year(scene: Scene) -> None:
    url = "/api/opportunities/export.xlsx?school_year="
    assert client_for(scene.world.teacher).get(url + "2025-2026").status_code == 403
    assert client_for(scene.world.outsider).get(url + "2025-2026").status_code == 403
    bad = client_for(scene.director).get(url + "2025-2027")
    assert bad.status_code == 400 and set(bad.json()) == {"school_year"}
