"""Importing students: all or nothing, matched by code in the school, CSV and XLSX."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from casework import dates
from casework.errors import Forbidden
from casework.models import AuditEvent, ImportRun, Student
from casework.services.imports import ImportRefused, students_import
from tests.casework.monitoring_helpers import csv_bytes, xlsx_bytes
from tests.factories import World, make_student


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """These tests read the problems in English; test_messages_in_romanian.py reads them in
    Romanian, the default."""
    with translation.override("en"):
        yield


BORN_LATE = datetime.date.today() - datetime.timedelta(days=365)
HEADER = ["code", "first_name", "last_name", "class_name", "programme", "birth_date"]


def _rows(n: int) -> list[list[Any]]:
    return [[f"S-{i:04d}", "Ana", f"Pop{i}", "10A", "Electrician", "2009-04-05"] for i in range(n)]


def _import(world: World, data: bytes, actor: Any = None) -> ImportRun:
    return students_import(
        school=world.school, file=io.BytesIO(data), filename="students.csv", actor=actor
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_registers_the_students_of_a_file(world: World, fmt: str) -> None:
    rows = _rows(1500)
    data = csv_bytes([HEADER, *rows]) if fmt == "csv" else xlsx_bytes([HEADER, *rows])
    run = _import(world, data, actor=world.admin_staff)
    assert (run.rows, run.created, run.updated, run.unchanged) == (1500, 1500, 0, 0)
    student = Student.objects.get(code="S-0007")
    assert (student.school, student.last_name, student.birth_date) == (
        world.school,
        "Pop7",
        datetime.date(2009, 4, 5),
    )
    assert AuditEvent.objects.filter(object_type="student", action="create").count() == 1500


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_writes_nothing_when_the_last_row_is_bad(world: World, fmt: str) -> None:
    rows = [*_rows(999), ["S-9999", "Ana", "Pop", "10A", "Electrician", BORN_LATE.isoformat()]]
    data = csv_bytes([HEADER, *rows]) if fmt == "csv" else xlsx_bytes([HEADER, *rows])
    with pytest.raises(ImportRefused) as refused:
        _import(world, data)
    assert [str(p) for p in refused.value.problems] == [
        "line 1001, column birth_date: " + str(dates.window_error("birth_date", BORN_LATE))
    ]
    assert not Student.objects.exists()


def test_it_lists_every_bad_row(world: World) -> None:
    rows = [
        ["S-1", "Ana", "Pop", "10A", "Electrician", ""],
        ["S-1", "Ion", "Pop", "10A", "Electrician", ""],
        ["", "", "Pop", "10A", "x" * 201, "05.13.2009"],
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(world, csv_bytes([HEADER, *rows]))
    assert [str(p) for p in refused.value.problems] == [
        "line 3, column code: 'S-1' is already on line 2",
        "line 4, column birth_date: '05.13.2009' is not a date; write it as YYYY-MM-DD "
        "(2025-03-01) or DD.MM.YYYY",
        "line 4, column code: may not be empty",
        "line 4, column first_name: may not be empty",
        "line 4, column programme: at most 200 characters (this has 201)",
    ]


def test_it_updates_students_by_code_and_leaves_the_rest(world: World) -> None:
    existing = make_student(world.school, code="S-0001", class_name="9B")
    other_school = make_student(world.other_school, code="S-0002")
    run = _import(world, csv_bytes([HEADER, *_rows(3)]))
    again = _import(world, csv_bytes([HEADER, *_rows(3)]))
    assert (run.created, run.updated, run.unchanged) == (2, 1, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    existing.refresh_from_db()
    assert (existing.pk, existing.class_name) == (existing.pk, "10A")
    assert Student.objects.get(pk=other_school.pk).school == world.other_school
    assert Student.objects.filter(school=world.school).count() == 3


def test_it_lets_the_birth_date_column_be_left_out(world: World) -> None:
    run = _import(world, csv_bytes([HEADER[:5], ["S-1", "Ana", "Pop", "10A", "Electrician"]]))
    assert run.created == 1 and Student.objects.get().birth_date is None


def test_it_is_refused_to_roles_that_do_not_register_students(world: World) -> None:
    for user in (world.psychologist, world.form_tutor, world.outsider):
        with pytest.raises(Forbidden):
            _import(world, csv_bytes([HEADER, *_rows(1)]), actor=user)
    assert not Student.objects.exists()


def test_it_imports_from_the_command_line(world: World, tmp_path: Path) -> None:
    path = tmp_path / "students.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *_rows(5)]))
    out = io.StringIO()
    call_command("import_students", str(path), "--school", "DEMO", stdout=out)
    assert "5 student rows for DEMO — 5 new" in out.getvalue()
    assert Student.objects.filter(school=world.school).count() == 5
