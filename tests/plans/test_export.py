"""The outcomes workbook: opened and read back, sheet by sheet, with the figures the page shows,
suppressed cells without counts, text cells that cannot run as formulas, and the period checked."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from casework.models import AuditEvent, School, User
from tests.conftest import client_for
from tests.factories import World
from tests.plans.test_outcomes import _pedagogy_and_social

pytestmark = pytest.mark.django_db

YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def _book(client: Any, query: dict[str, str] = YEAR) -> Workbook:
    response = client.get("/api/office/kpis.xlsx", query)
    assert response.status_code == 200, response.content
    return load_workbook(io.BytesIO(response.content))


def _rows(book: Workbook, title: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def test_it_writes_one_sheet_per_part_in_romanian(world: World, today: datetime.date) -> None:
    book = _book(client_for(world.coordinator))
    assert book.sheetnames == [
        "Indicatori principali",
        "Durate",
        "Menținerea în școală",
        "Eficiența",
    ]


def test_it_writes_the_key_figures_and_the_grid(world: World, today: datetime.date) -> None:
    _pedagogy_and_social(world, social=4)
    book = _book(client_for(world.coordinator))
    figures = dict(_rows(book, "Indicatori principali"))
    assert figures["Cazuri semnalate"] == 10
    # Real dates (a spreadsheet can sort and compare them), shown as YYYY-MM-DD.
    assert (figures["Cazuri semnalate începând cu"], figures["Cazuri semnalate până la"]) == (
        datetime.datetime(2025, 1, 1),
        datetime.datetime(2025, 12, 31),
    )
    assert book["Indicatori principali"]["B2"].number_format == "yyyy-mm-dd"
    # Every label and header starts with a capital, as the others do.
    labels = [row[0] for row in _rows(book, "Indicatori principali")]
    headers = [_rows(book, name)[0] for name in ("Durate", "Menținerea în școală", "Eficiența")]
    for text in [*labels, *(h for row in headers for h in row)]:
        assert text[0] == text[0].upper(), text
    assert figures["Rata de închidere (arhivate)"] == 0
    assert book["Indicatori principali"]["B8"].number_format == "0%"
    grid = _rows(book, "Eficiența")
    assert grid[0][:3] == ("Intervenție", "Nivelul de risc la semnalare", "Elevi")
    # Five with pedagogical support a year on (one dropped out), one flagged too recently.
    assert grid[1] == ("Sprijin pedagogic", "Risc ridicat", 6, 4, 1, 0, 1)
    # Four with socio-economic support: named, and no count at all.
    assert grid[2][1:] == (
        "Risc ridicat",
        "nu se afișează: mai puțin de 5 elevi",
        None,
        None,
        None,
        None,
    )


def test_it_writes_retention_as_counts_and_a_rate(world: World, today: datetime.date) -> None:
    _pedagogy_and_social(world, social=4)
    retention = _rows(_book(client_for(world.coordinator)), "Menținerea în școală")
    assert retention[1][:3] == (6, "Elevi semnalați", 10)
    # 12 months: of the nine flagged on 10.1.2025, eight stayed; the tenth is pending.
    twelve = next(r for r in retention[1:] if r[:2] == (12, "Elevi semnalați"))
    assert (twelve[3], twelve[4], twelve[7], twelve[8]) == (8, 1, 1, 0.889)


def test_it_speaks_english_when_asked(world: World, today: datetime.date) -> None:
    client = client_for(world.coordinator)
    response = client.get("/api/office/kpis.xlsx", YEAR, HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Key figures", "Time", "Retention", "Effectiveness"]


def test_it_keeps_a_name_that_looks_like_a_formula_as_text(
    world: World, today: datetime.date
) -> None:
    School.objects.filter(pk=world.school.pk).update(name='=HYPERLINK("http://x","y")')
    fresh = User.objects.get(pk=world.coordinator.pk)  # not the world's, with its school cached
    figures = _rows(_book(client_for(fresh)), "Indicatori principali")
    assert figures[0][1] == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "query,field",
    [
        ({"from": "2025-02-30"}, "from"),
        ({"to": "31.12.2025"}, "to"),
        ({"from": "2026-01-01", "to": "2025-01-01"}, "from"),
    ],
)
def test_it_names_the_bad_date(world: World, query: dict[str, str], field: str) -> None:
    response = client_for(world.coordinator).get("/api/office/kpis.xlsx", query)
    assert response.status_code == 400
    assert field in response.json()


def test_it_records_the_export_in_the_audit_trail(world: World, today: datetime.date) -> None:
    _book(client_for(world.coordinator))
    event = AuditEvent.objects.filter(object_type="outcomes").latest("id")
    assert (event.actor, event.data["report"]) == (world.coordinator, "xlsx")


def test_it_refuses_a_teacher(world: World) -> None:
    assert client_for(world.teacher).get("/api/office/kpis.xlsx").status_code == 403
    assert Client().get("/api/office/kpis.xlsx").status_code in (401, 403)
