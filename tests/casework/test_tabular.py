"""Reading CSV and XLSX files row by row, with the line numbers a spreadsheet shows."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from casework.tabular import MAX_LINE_BYTES, Problem, Problems, Table, column_letter
from tests.casework.monitoring_helpers import csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """These tests read the problems in English; test_messages_in_romanian.py reads them in
    Romanian, the default."""
    with translation.override("en"):
        yield


COLUMNS = ("code", "name")


def _read(data: bytes, **kwargs: Any) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    table = Table(io.BytesIO(data), required=COLUMNS, optional=("note",), **kwargs)
    rows = list(table.rows())
    return rows, [str(p) for p in table.problems]


def test_it_numbers_rows_as_a_spreadsheet_does_and_skips_blank_ones() -> None:
    rows, problems = _read(b"code,name\r\nA,Ana\r\n\r\n,\r\nB,Bogdan\r\n")
    assert problems == []
    assert [(line, values["code"]) for line, values in rows] == [(2, "A"), (5, "B")]


def test_it_reads_excels_utf8_bom_and_semicolons() -> None:
    data = csv_bytes([["Code", "Name"], ["Ș-1", "Ștefan"]], delimiter=";", bom=True)
    rows, problems = _read(data)
    assert problems == []
    assert rows == [(2, {"code": "Ș-1", "name": "Ștefan"})]


def test_it_counts_a_quoted_multiline_cell_as_one_row() -> None:
    rows, _ = _read(b'code,name,note\nA,Ana,"two\nlines"\nB,Bogdan,\n')
    assert [line for line, _ in rows] == [2, 3]
    assert rows[0][1]["note"] == "two\nlines"


def test_it_names_missing_unknown_and_repeated_columns_on_line_1() -> None:
    _, problems = _read(b"code,nmae,code\nA,Ana,A\n")
    assert problems == [
        "line 1, column code: the column appears twice",
        "line 1, column name: missing column",
        "line 1, column nmae: unknown column; the columns are code, name, note",
    ]


def test_it_reports_a_value_beyond_the_header() -> None:
    rows, problems = _read(b"code,name\nA,Ana,extra\n")
    assert problems == ["line 2, column C: a value outside the table (the header has 2 columns)"]
    assert len(rows) == 1


def test_it_reports_an_empty_file() -> None:
    _, problems = _read(b"")
    assert problems == ["line 1: the file is empty; the first line must be the header"]


def test_it_reports_the_line_with_bytes_that_are_not_utf8() -> None:
    data = b"code,name\nA,Ana\nB,\xe2t\xe2\nC,Cristi\n"
    rows, problems = _read(data)
    assert problems == ["line 3: the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"]
    assert [line for line, _ in rows] == [2]


def test_it_refuses_an_old_xls_workbook() -> None:
    _, problems = _read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert problems == ["line 1: this is an old .xls workbook; save it as .xlsx or CSV (UTF-8)"]


def test_it_reads_xlsx_values_dates_and_blank_rows() -> None:
    data = xlsx_bytes(
        [["code", "name", "note"], ["A", "Ana", datetime.date(2025, 3, 1)], [], [7, "Bogdan", None]]
    )
    rows, problems = _read(data)
    assert problems == []
    assert rows[0] == (2, {"code": "A", "name": "Ana", "note": datetime.datetime(2025, 3, 1)})
    assert rows[1] == (4, {"code": 7, "name": "Bogdan", "note": None})


def test_it_reports_a_broken_xlsx() -> None:
    _, problems = _read(b"PK\x03\x04 not really a zip file")
    assert len(problems) == 1 and problems[0].startswith("line 1: not a readable XLSX workbook")


@pytest.mark.parametrize("index,letter", [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_it_names_columns_as_a_spreadsheet(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def test_it_sorts_problems_by_line() -> None:
    problems = [Problem(10, "a", "x"), Problem(2, "b", "y")]
    assert [p.line for p in sorted(problems)] == [2, 10]


def test_it_keeps_the_first_problems_by_position_and_counts_them_all() -> None:
    problems = Problems(limit=3)
    for line in (9, 4, 7, 2, 8, 3):
        problems.add(Problem(line, "", "bad"))
    problems.count_unlisted(10)
    assert [p.line for p in problems] == [2, 3, 4]
    assert (problems.total, problems.unlisted) == (16, 13)


def test_it_reports_a_header_field_over_the_csv_field_limit_on_line_1() -> None:
    rows, problems = _read(b"code,name," + b"x" * 131_073 + b"\nA,Ana\n")
    assert rows == []
    assert problems == ["line 1: not valid CSV (field larger than field limit (131072))"]


def test_it_stops_at_a_line_longer_than_any_csv_line_without_reading_it_whole() -> None:
    data = b"code,name\nA,Ana\n" + b"y" * (MAX_LINE_BYTES + 10)
    rows, problems = _read(data)
    assert [line for line, _ in rows] == [2]
    assert problems == [f"line 3: a line longer than {MAX_LINE_BYTES:,} bytes; is this a CSV file?"]


def test_it_refuses_a_workbook_that_unpacks_to_more_than_the_limit() -> None:
    data = xlsx_bytes([["code", "name"], *[[f"C-{i}", "x" * 50] for i in range(2000)]])
    with translation.override("en"):
        rows, problems = _read(data, max_unpacked=len(data))
    assert rows == []
    assert len(problems) == 1
    assert problems[0].startswith("line 1: the workbook unpacks to ")
    assert "accepted; split it into smaller files or save it as CSV" in problems[0]
    assert _read(data, max_unpacked=50 * len(data))[1] == []
