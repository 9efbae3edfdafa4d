"""Importing signals: all or nothing, every bad row named, idempotent, CSV and XLSX."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.utils import translation

from casework import dates
from casework.management.commands.import_signals import Command as ImportSignals
from casework.models import AuditEvent, Case, CaseEvent, ImportRun, Signal, Student, StudentRisk
from casework.services.imports import ImportRefused, signals_import
from tests.casework.monitoring_helpers import csv_bytes, xlsx_bytes
from tests.factories import World, make_student


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """These tests read the problems in English; test_messages_in_romanian.py reads them in
    Romanian, the default."""
    with translation.override("en"):
        yield


HEADER = ["student_code", "kind", "value", "observed_on", "note"]
DAY = datetime.date.today() - datetime.timedelta(days=30)


def _students(world: World, n: int) -> list[Student]:
    return [make_student(world.school, code=f"C-{i:04d}") for i in range(n)]


def _rows(n: int) -> list[list[Any]]:
    """``n`` good rows over 100 students, 10 kinds-and-days each."""
    rows = []
    for i in range(n):
        day = DAY - datetime.timedelta(days=i // 100)
        rows.append([f"C-{i % 100:04d}", "attendance", 90 + i % 10, day.isoformat(), ""])
    return rows


def _import(world: World, data: bytes, name: str = "signals.csv", actor: Any = None) -> ImportRun:
    return signals_import(school=world.school, file=io.BytesIO(data), filename=name, actor=actor)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_writes_nothing_when_the_last_of_1000_rows_is_bad(world: World, fmt: str) -> None:
    _students(world, 100)
    rows = [*_rows(999), ["C-0001", "attendance", 140, DAY.isoformat(), ""]]
    data = csv_bytes([HEADER, *rows]) if fmt == "csv" else xlsx_bytes([HEADER, *rows])
    with pytest.raises(ImportRefused) as refused:
        _import(world, data, f"signals.{fmt}")
    assert [str(p) for p in refused.value.problems] == [
        "line 1001, column value: attendance is a percentage between 0 and 100; got 140"
    ]
    assert not Signal.objects.exists()
    assert not ImportRun.objects.exists()
    assert not StudentRisk.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_every_row_of_a_good_file(world: World, fmt: str) -> None:
    _students(world, 100)
    rows = _rows(1000)
    data = csv_bytes([HEADER, *rows]) if fmt == "csv" else xlsx_bytes([HEADER, *rows])
    run = _import(world, data, f"signals.{fmt}", actor=world.teacher)
    assert (run.rows, run.created, run.updated, run.unchanged) == (1000, 1000, 0, 0)
    assert Signal.objects.filter(source="import", import_run=run).count() == 1000
    assert set(Signal.objects.values_list("recorded_by", flat=True)) == {world.teacher.pk}
    assert StudentRisk.objects.count() == 100
    audit = AuditEvent.objects.get(action="import")
    assert audit.data["created"] == 1000 and audit.school_id == world.school.pk


def test_it_lists_every_bad_row_with_its_line_and_column(world: World) -> None:
    _students(world, 2)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    rows = [
        ["C-0000", "attendance", "95", DAY.isoformat(), ""],
        ["X-9", "attendance", "95", DAY.isoformat(), ""],
        ["C-0000", "behavior", "1", DAY.isoformat(), ""],
        ["C-0001", "behaviour", "-1", tomorrow, ""],
        ["C-0001", "grade_failures", "1.5", "31.02.2025", ""],
        ["C-0001", "observation", "", DAY.isoformat(), ""],
        ["", "attendance", "95", DAY.isoformat(), ""],
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(world, csv_bytes([HEADER, *rows]))
    assert [str(p) for p in refused.value.problems] == [
        "line 3, column student_code: no student with code 'X-9' in DEMO",
        "line 4, column kind: 'behavior' is not a kind of signal; use one of attendance, "
        "grade_failures, behaviour, self_assessment, observation",
        "line 5, column observed_on: "
        + str(dates.window_error("observed_on", datetime.date.fromisoformat(tomorrow))),
        "line 5, column value: a count is a whole number, 0 or more; got -1",
        "line 6, column observed_on: '31.02.2025' is not a date; write it as YYYY-MM-DD "
        "(2025-03-01) or DD.MM.YYYY",
        "line 6, column value: a count is a whole number, 0 or more; got 1.5",
        "line 7, column value: may not be empty",
        "line 8, column student_code: may not be empty",
    ]
    assert not Signal.objects.exists()


def test_it_refuses_a_file_that_gives_one_fact_twice(world: World) -> None:
    _students(world, 1)
    rows = [
        ["C-0000", "attendance", "95", DAY.isoformat(), ""],
        ["C-0000", "behaviour", "1", DAY.isoformat(), ""],
        ["C-0000", "attendance", "80", DAY.isoformat(), ""],
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(world, csv_bytes([HEADER, *rows]))
    assert [str(p) for p in refused.value.problems] == [
        "line 4, column observed_on: line 2 already gives this student's attendance for this date"
    ]
    assert not Signal.objects.exists()


def test_it_refuses_a_file_with_a_wrong_header(world: World) -> None:
    with pytest.raises(ImportRefused) as refused:
        _import(world, b"student,kind,value,observed_on\n")
    assert [str(p) for p in refused.value.problems] == [
        "line 1, column student: unknown column; the columns are student_code, kind, value, "
        "observed_on, note",
        "line 1, column student_code: missing column",
    ]


def test_it_changes_nothing_when_the_same_file_comes_again(world: World, case: Case) -> None:
    _students(world, 100)
    rows = [*_rows(300), [case.student.code, "attendance", 70, DAY.isoformat(), "low"]]
    data = csv_bytes([HEADER, *rows])
    first = _import(world, data)
    snapshot = list(Signal.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    events = CaseEvent.objects.filter(kind="signal").count()
    again = _import(world, data)
    assert (again.rows, again.created, again.updated, again.unchanged) == (301, 0, 0, 301)
    assert list(Signal.objects.order_by("pk").values_list("pk", "value", "updated_at")) == snapshot
    assert CaseEvent.objects.filter(kind="signal").count() == events == 1
    assert Signal.objects.filter(import_run=first).count() == 301


def test_it_updates_only_the_rows_that_changed(world: World) -> None:
    _students(world, 100)
    rows = _rows(200)
    _import(world, csv_bytes([HEADER, *rows]))
    rows[5][2] = 55
    rows[6][4] = "corrected"
    run = _import(world, csv_bytes([HEADER, *rows]))
    assert (run.created, run.updated, run.unchanged) == (0, 2, 198)
    changed = Signal.objects.get(student__code=rows[5][0], observed_on=rows[5][3])
    assert changed.value == 55 and changed.import_run == run


def test_it_keeps_observations_apart_by_their_text(world: World) -> None:
    _students(world, 1)
    rows = [
        ["C-0000", "observation", "Late again", DAY.isoformat(), ""],
        ["C-0000", "observation", "Argued with a classmate", DAY.isoformat(), ""],
    ]
    _import(world, csv_bytes([HEADER, *rows]))
    run = _import(world, csv_bytes([HEADER, *rows]))
    assert Signal.objects.filter(kind="observation").count() == 2
    assert run.unchanged == 2


def test_it_reads_dates_and_numbers_from_xlsx_cells(world: World) -> None:
    _students(world, 1)
    rows = [
        ["C-0000", "attendance", 87.333333, DAY, None],
        ["C-0000", "behaviour", 2, datetime.datetime.combine(DAY, datetime.time()), "fight"],
    ]
    _import(world, xlsx_bytes([HEADER, *rows]), "signals.xlsx")
    values = dict(Signal.objects.values_list("kind", "value"))
    assert (values["attendance"], values["behaviour"]) == (Decimal("87.33"), 2)


def test_it_puts_imported_signals_of_an_open_case_on_its_timeline(world: World, case: Case) -> None:
    other = make_student(world.school, code="C-0000")
    rows = [
        [case.student.code, "attendance", 70, DAY.isoformat(), ""],
        [case.student.code, "behaviour", 2, DAY.isoformat(), ""],
        [other.code, "attendance", 99, DAY.isoformat(), ""],
    ]
    run = _import(world, csv_bytes([HEADER, *rows]), actor=world.teacher)
    event = CaseEvent.objects.get(case=case, kind="signal")
    assert event.name == "signals_imported"
    assert event.data["import"] == run.pk and len(event.data["signals"]) == 2
    assert set(Signal.objects.filter(case=case).values_list("kind", flat=True)) == {
        "attendance",
        "behaviour",
    }
    assert Signal.objects.get(student=other).case is None
    assert Case.objects.count() == 1


def test_it_is_refused_to_a_role_that_may_not_record_signals(world: World) -> None:
    from casework.errors import Forbidden

    with pytest.raises(Forbidden):
        _import(world, csv_bytes([HEADER]), actor=world.outsider)


# -- the command ----------------------------------------------------------------------------------


def _file(tmp_path: Path, rows: list[list[Any]], name: str = "signals.csv") -> str:
    path = tmp_path / name
    path.write_bytes(
        csv_bytes([HEADER, *rows]) if name.endswith(".csv") else xlsx_bytes([HEADER, *rows])
    )
    return str(path)


def test_it_imports_from_the_command_line_and_reports_counts(world: World, tmp_path: Path) -> None:
    _students(world, 100)
    out = io.StringIO()
    call_command("import_signals", _file(tmp_path, _rows(10)), "--school", "DEMO", stdout=out)
    assert "10 signal rows for DEMO — 10 new, 0 updated, 0 unchanged" in out.getvalue()


def test_it_needs_school_on_the_command_line_only_when_there_are_several(
    world: World, tmp_path: Path
) -> None:
    _students(world, 100)
    path = _file(tmp_path, _rows(10))
    with pytest.raises(CommandError, match=r"more than one school .*--school CODE"):
        call_command("import_signals", path)
    world.outsider.delete()
    world.other_school.delete()
    call_command("import_signals", path, stdout=io.StringIO())
    assert Signal.objects.count() == 10


def test_it_lists_bad_rows_on_the_command_line_and_exits_non_zero(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # run_from_argv is what manage.py runs: it turns the refusal into the exit status. It also
    # closes the database connections on the way out, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    _students(world, 100)
    rows = [*_rows(999), ["C-0001", "attendance", 140, DAY.isoformat(), ""]]
    path = _file(tmp_path, rows, "signals.xlsx")
    command: BaseCommand = ImportSignals()
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "import_signals", path, "--school", "DEMO"])
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "line 1001, column value: attendance is a percentage between 0 and 100" in err
    assert "nothing was imported" in err
    assert not Signal.objects.exists()


def test_it_checks_the_role_of_the_user_the_command_acts_for(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Doar personalul"), translation.override("ro"):
        call_command(
            "import_signals", _file(tmp_path, []), "--school", "DEMO", "--user", "outsider"
        )


def test_it_lists_the_first_100_problems_on_the_command_line_with_the_count(
    world: World, tmp_path: Path
) -> None:

    _students(world, 1)
    rows = [["C-0000", "attendance", 200 + i, DAY.isoformat(), ""] for i in range(500)]
    err = io.StringIO()
    with pytest.raises(CommandError, match="500 problem"), translation.override("en"):
        call_command("import_signals", _file(tmp_path, rows), "--school", "DEMO", stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 101
    assert lines[-1].startswith("... and 400 more problem(s), 500 in all")


@override_settings(IMPORT_MAX_BYTES=100)
def test_it_names_the_size_limit_on_the_command_line(world: World, tmp_path: Path) -> None:
    _students(world, 10)
    with (
        pytest.raises(CommandError, match="files of up to 100 bytes are imported"),
        translation.override("en"),
    ):
        call_command("import_signals", _file(tmp_path, _rows(10)), "--school", "DEMO")
    assert not Signal.objects.exists()
