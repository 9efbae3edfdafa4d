"""The student import's enrolment columns: ``status`` and ``left_on``, checked cell by cell,
all or nothing; a file without them leaves the enrolment alone."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest

from casework import dates
from casework.models import ImportRun, Student
from casework.services.imports import ImportRefused, students_import
from tests.casework.monitoring_helpers import csv_bytes
from tests.factories import World

pytestmark = pytest.mark.django_db

HEADER = ["code", "first_name", "last_name", "class_name", "programme", "birth_date"]
TODAY = datetime.date.today()
TOMORROW = TODAY + datetime.timedelta(days=1)


def _row(code: str, status: str = "", left_on: str = "") -> list[Any]:
    return [code, "Ana", "Pop", "10A", "Electrician", "2009-04-05", status, left_on]


def _import(world: World, rows: list[list[Any]], header: list[str] | None = None) -> ImportRun:
    data = csv_bytes([header or [*HEADER, "status", "left_on"], *rows])
    return students_import(school=world.school, file=io.BytesIO(data), filename="s.csv")


def test_it_records_who_left_and_when(world: World) -> None:
    _import(
        world,
        [
            _row("S1"),
            _row("S2", "dropped_out", "2025-03-01"),
            _row("S3", "graduated", "30.06.2025"),
        ],
    )
    got = {s.code: (s.status, s.left_on) for s in Student.objects.all()}
    assert got == {
        "S1": ("enrolled", None),
        "S2": ("dropped_out", datetime.date(2025, 3, 1)),
        "S3": ("graduated", datetime.date(2025, 6, 30)),
    }


def test_it_refuses_bad_enrolment_cells_by_line_and_writes_nothing(world: World) -> None:
    rows = [
        _row("S1", "expelled", "2025-03-01"),
        _row("S2", "dropped_out"),
        _row("S3", "enrolled", "2025-03-01"),
        _row("S4", "transferred", TOMORROW.isoformat()),
        _row("S5", "transferred", "2008-01-01"),
        _row("S6", "graduated", "yesterday"),
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(world, rows)
    lines = [str(p) for p in refused.value.problems]
    assert lines[0].startswith("rândul 2, coloana status: 'expelled' nu este")
    assert (
        lines[1]
        == "rândul 3, coloana left_on: dați ziua în care elevul a plecat (status dropped_out)"
    )
    assert lines[2] == "rândul 4, coloana left_on: un elev înscris nu a plecat; lăsați left_on gol"
    assert lines[3] == "rândul 5, coloana left_on: " + str(dates.window_error("left_on", TOMORROW))
    assert lines[4] == "rândul 6, coloana left_on: " + str(
        dates.window_error("left_on", datetime.date(2008, 1, 1))
    )
    assert lines[5].startswith("rândul 7, coloana left_on: „yesterday” nu este o dată")
    assert len(lines) == 6
    assert not Student.objects.exists()


def test_it_leaves_the_enrolment_alone_without_the_columns(world: World) -> None:
    _import(world, [_row("S1", "dropped_out", "2025-03-01")])
    run = _import(world, [["S1", "Ana", "Pop", "10B", "Electrician", "2009-04-05"]], HEADER)
    student = Student.objects.get(code="S1")
    assert (run.updated, student.class_name, student.status) == (1, "10B", "dropped_out")


def test_it_brings_a_student_back_when_the_file_says_enrolled(world: World) -> None:
    _import(world, [_row("S1", "transferred", "2025-03-01")])
    run = _import(world, [_row("S1")])
    student = Student.objects.get(code="S1")
    assert (run.updated, student.status, student.left_on) == (1, "enrolled", None)
