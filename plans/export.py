"""The outcomes as a workbook: the key figures, retention, time in each step and the
effectiveness grid, one sheet each, in the reader's language, for the same readers as the page.

Every number is a number (a spreadsheet can add it up); rates are fractions formatted as
percentages. Text cells go through ``safe`` (a label is never read as a formula), and a
suppressed cell of the grid has no counts here either, only the reason.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from casework.models import School, User
from casework.services.audit import audit_list
from plans import outcomes
from plans.labels import intervention_label, risk_label, stage_label
from plans.outcomes import Period
from support.export import XLSX, safe

PERCENT = "0%"
DATE = "yyyy-mm-dd"


def _sheet(book: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.append([safe(capfirst(h)) for h in header])
    return sheet


def _append(sheet: Worksheet, values: Iterable[Any], percent_at: int | None = None) -> None:
    sheet.append([safe(v) for v in values])
    if percent_at is not None:
        sheet.cell(row=sheet.max_row, column=percent_at + 1).number_format = PERCENT


def _figures(book: Workbook, school: School, period: Period, kpis: dict[str, Any]) -> None:
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _("Key figures")[:31]
    closure = kpis["closure"]
    reviews = kpis["objectives_met"]["closing_reviews"]
    objectives = kpis["objectives_met"]["objectives"]
    for row in [
        (_("School"), school.name),
        (_("Cases flagged from"), period.since),
        (_("Cases flagged until"), period.until),
        (_("Cases flagged"), closure["flagged"]),
        (pgettext("cases", "archived"), closure["archived"]),
        (pgettext("cases", "withdrawn"), closure["withdrawn"]),
        (pgettext("cases", "still open"), closure["open"]),
    ]:
        _append(sheet, (capfirst(row[0]), row[1]))
        if isinstance(row[1], datetime.date):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE
    _append(sheet, (_("Closure rate (archived)"), closure["rate"]), percent_at=1)
    for row in [
        (_("Closing reviews: all objectives met"), reviews["all"]),
        (_("Closing reviews: partly met"), reviews["partly"]),
        (_("Closing reviews: none met"), reviews["none"]),
        (_("SMART objectives met"), objectives["met"]),
        (_("SMART objectives missed"), objectives["missed"]),
    ]:
        _append(sheet, row)


def _times(book: Workbook, kpis: dict[str, Any]) -> None:
    sheet = _sheet(
        book, _("Time"), [_("Step"), _("Counted"), _("Median (days)"), _("90% within (days)")]
    )
    steps = [(_("Triage"), kpis["time_to_triage"])]
    steps += [(stage_label(s), f) for s, f in kpis["time_in_stage"].items()]
    for label, found in steps:
        _append(sheet, (label, found["count"], found["median_days"], found["p90_days"]))


def _retention(book: Workbook, kpis: dict[str, Any]) -> None:
    header = [_("Months after flagging"), _("Group"), _("Students"), _("Still enrolled")]
    header += [_("Dropped out"), pgettext("students", "transferred")]
    header += [pgettext("students", "graduated"), _("Pending")]
    sheet = _sheet(book, _("Retention"), [*header, _("Retention rate")])
    groups = (("flagged", _("Flagged students")), ("unflagged", _("Not flagged")))
    for horizon in kpis["retention"]:
        for group, label in groups:
            t = horizon[group]
            counts = [t[k] for k in ("students", "retained", "dropped_out", "transferred")]
            counts += [t["graduated"], t["pending"], t["retention_rate"]]
            _append(sheet, [horizon["months"], label, *counts], percent_at=8)


def _grid(book: Workbook, grid: dict[str, Any]) -> None:
    sheet = _sheet(
        book,
        _("Effectiveness"),
        [
            _("Intervention"),
            _("Risk level when flagged"),
            _("Students"),
            _("Retained"),
            _("Dropped out"),
            _("Left otherwise"),
            _("Pending"),
        ],
    )
    hidden = _("not shown: fewer than %(n)d students") % {"n": grid["min_students"]}
    for cell in grid["cells"]:
        labels = [intervention_label(cell["intervention"]), risk_label(cell["risk_level"])]
        if cell["suppressed"]:
            _append(sheet, [*labels, hidden])
        else:
            counts = [cell[k] for k in ("students", "retained", "dropped", "left", "pending")]
            _append(sheet, [*labels, *counts])


def outcomes_xlsx(*, school: School, period: Period, actor: User) -> bytes:
    kpis = outcomes.kpis(school, period)
    grid = outcomes.effectiveness(school, period)
    book = Workbook()
    _figures(book, school, period, kpis)
    _times(book, kpis)
    _retention(book, kpis)
    _grid(book, grid)
    out = io.BytesIO()
    book.save(out)
    audit_list(
        actor=actor,
        object_type="outcomes",
        ids=[],
        report="xlsx",
        **{"from": kpis["from"], "to": kpis["to"]},
    )
    return out.getvalue()


def outcomes_response(*, school: School, period: Period, actor: User) -> HttpResponse:
    """The workbook as the answer of the page and the API alike."""
    body = outcomes_xlsx(school=school, period=period, actor=actor)
    response = HttpResponse(body, content_type=XLSX)
    # Translators: a file name: ASCII letters, no spaces (Romanian: without diacritics).
    stem = pgettext("file name", "outcomes")
    name = f"{stem}-{period.since.isoformat()}-{period.until.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
