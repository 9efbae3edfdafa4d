"""Reading CSV and XLSX files row by row, with the line numbers a spreadsheet shows."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest

from casework.tabular import Problem, Table, column_letter
from tests.casework.monitoring_helpers import csv_bytes, xlsx_bytes

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
        "line 1, column nmae: unknown column; the columns are code, name, note",
        "line 1, column code: the column appears twice",
        "line 1, column name: missing column",
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
