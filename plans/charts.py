"""The outcomes' charts, drawn on the server as SVG (no script, no library: the CSP allows none,
and a chart must print and read the same on a phone).

This module only measures: each chart is a list of rows, each row a line of text and a bar of
one or more segments, with coordinates in a 320-unit-wide view box that the page scales to its
card. The template ``plans/includes/chart.html`` draws them, escaping every label; the numbers
stay in the table beside each chart, which is what a screen reader reads.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

WIDTH = 320
LINE_HEIGHT = 15  # a line of 12-unit text
BAR_HEIGHT = 14
ROW_GAP = 10
# SVG text does not wrap: a row's text is wrapped here, at most two lines of about 48
# characters (what fits 320 units at 12), and the rest cut, the whole text in the row's tooltip.
LINE_CHARS = 48
MAX_LINES = 2

# Colours with a contrast of at least 3:1 against the white card (WCAG 1.4.11, graphics).
PRIMARY = "#1c4f8a"
GREY = "#5f6b78"
LIGHT = "#8c96a0"
GREEN = "#2e6b30"
RED = "#a4161a"
AMBER = "#8a5a00"
PALE_BLUE = "#7d9cc4"


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    colour: str


@dataclass
class Row:
    label: str
    segments: list[Segment]
    lines: list[tuple[int, str]] = field(default_factory=list)  # (baseline y, text)
    bar_y: int = 0

    def place(self, y: int) -> int:
        """Lay the row out from ``y`` down; answer where the next row starts."""
        wrapped = textwrap.wrap(self.label, LINE_CHARS) or [""]
        if len(wrapped) > MAX_LINES:
            wrapped = wrapped[:MAX_LINES]
            wrapped[-1] = wrapped[-1][: LINE_CHARS - 1].rstrip() + "…"
        self.lines = [(y + LINE_HEIGHT * (n + 1) - 3, text) for n, text in enumerate(wrapped)]
        self.bar_y = y + LINE_HEIGHT * len(wrapped)
        return self.bar_y + BAR_HEIGHT + ROW_GAP


@dataclass
class Chart:
    key: str
    title: str
    description: str
    rows: list[Row]
    legend: list[tuple[str, str]] = field(default_factory=list)
    height: int = 0

    def __post_init__(self) -> None:
        y = 0
        for row in self.rows:
            y = row.place(y)
        self.height = max(y - ROW_GAP, 1)


def _length(value: float, scale: float) -> int:
    """A bar's length, at least a sliver for any count above zero, so a small one still shows."""
    if value <= 0 or scale <= 0:
        return 0
    return max(2, round(WIDTH * value / scale))


def stacked(parts: Iterable[tuple[float, str]], total: float) -> list[Segment]:
    """Segments one after the other, each as long as its share of ``total``."""
    segments, x = [], 0
    for value, colour in parts:
        width = min(_length(value, total), WIDTH - x)
        if width:
            segments.append(Segment(x, width, colour))
            x += width
    return segments


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    # A fraction of days takes the plural, whatever its whole part.
    return ngettext("%(days)s day", "%(days)s days", 1 if value == 1 else 2) % {
        "days": number_format(value, 1)
    }


def retention_chart(retention: Sequence[dict[str, Any]]) -> Chart:
    """Still enrolled after 6 and 12 months, flagged against not flagged, as a share of the
    students whose months have passed."""
    colours = {"flagged": PRIMARY, "unflagged": GREY}
    rows = []
    for horizon in retention:
        for group, label in (("flagged", _("Flagged students")), ("unflagged", _("Not flagged"))):
            tally = horizon[group]
            rate = tally["retention_rate"]
            months = ngettext("%(m)s month", "%(m)s months", horizon["months"]) % {
                "m": horizon["months"]
            }
            rows.append(
                Row(
                    f"{label}, {months}: {_percent(rate)}",
                    stacked([(rate or 0, colours[group])], 1),
                )
            )
    return Chart(
        "retention",
        _("Retention 6 and 12 months after flagging"),
        _(
            "Bars: the share of students still enrolled, flagged students against the school's "
            "students who were never flagged. The table below gives the counts."
        ),
        rows,
        legend=[(PRIMARY, _("Flagged students")), (GREY, _("Not flagged"))],
    )


def time_chart(triage: dict[str, Any], stages: Sequence[dict[str, Any]]) -> Chart:
    """The median time (dark) and the time within which 90% were done (light), per step."""
    steps = [{"label": _("Triage"), **triage}, *stages]
    scale = max((s["p90_days"] or 0 for s in steps), default=0)
    rows = []
    for step in steps:
        median, p90 = step["median_days"] or 0, step["p90_days"] or 0
        segments = [Segment(0, _length(p90, scale), PALE_BLUE)] if p90 else []
        if median:
            segments.append(Segment(0, _length(median, scale), PRIMARY))
        text = _("median %(m)s, 90%% within %(p)s") % {
            "m": _days(step["median_days"]),
            "p": _days(step["p90_days"]),
        }
        rows.append(Row(f"{step['label']}: {text}", segments))
    return Chart(
        "time",
        _("Time to triage and in each stage"),
        _(
            "For each step, the median number of days (dark bar) and the number of days within "
            "which 90% of cases were done (light bar). The table below gives the figures."
        ),
        rows,
        legend=[(PRIMARY, _("median")), (PALE_BLUE, _("90% within"))],
    )


def closure_chart(closure: dict[str, Any]) -> Chart:
    flagged = closure["flagged"]
    parts = [
        (closure["archived"], GREEN, pgettext("cases", "archived")),
        (closure["withdrawn"], AMBER, pgettext("cases", "withdrawn")),
        (closure["open"], LIGHT, pgettext("cases", "still open")),
    ]
    row = Row(
        _("%(n)d cases flagged: archived %(a)d, withdrawn %(w)d, open %(o)d")
        % {"n": flagged, "a": closure["archived"], "w": closure["withdrawn"], "o": closure["open"]},
        stacked(((value, colour) for value, colour, _label in parts), flagged),
    )
    return Chart(
        "closure",
        _("How the cases flagged in the period stand"),
        _("One bar divided into the cases archived, withdrawn and still open."),
        [row],
        legend=[(colour, f"{label} {value}") for value, colour, label in parts],
    )


def effectiveness_chart(cells: Sequence[dict[str, Any]]) -> Chart:
    """One bar per cell that is shown, divided by outcome; suppressed cells have no bar."""
    rows = []
    for cell in cells:
        if cell["suppressed"]:
            continue
        parts = [
            (cell["retained"], GREEN),
            (cell["dropped"], RED),
            (cell["left"], AMBER),
            (cell["pending"], LIGHT),
        ]
        label = f"{cell['intervention_label']} · {cell['risk_label']} ({cell['students']})"
        rows.append(Row(label, stacked(parts, cell["students"])))
    return Chart(
        "effectiveness",
        _("Outcome by intervention and risk level"),
        _(
            "One bar per intervention and risk level when flagged, divided into the students "
            "retained, dropped out, left otherwise and pending. Groups of fewer than 5 students "
            "have no bar. The table below gives the counts."
        ),
        rows,
        legend=[
            (GREEN, _("retained")),
            (RED, _("dropped out")),
            (AMBER, _("left otherwise")),
            (LIGHT, _("pending")),
        ],
    )
