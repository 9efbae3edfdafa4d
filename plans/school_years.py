"""School years ("2025-2026": 1 September 2025 to 31 August 2026) and the terms of a plan's
actions within one: months ``{"from": "2025-09", "to": "2025-10"}``, ``"annual"`` or
``"during_year"`` (both the whole school year, as the seed's "anual" and "pe parcursul anului")."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from casework.errors import Invalid

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WHOLE_YEAR = ("annual", "during_year")


@dataclass(frozen=True)
class SchoolYear:
    first_year: int

    @property
    def code(self) -> str:
        return f"{self.first_year}-{self.first_year + 1}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first_year, 9, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.first_year + 1, 8, 31)


def parse_school_year(code: Any, field: str = "school_year") -> SchoolYear:
    match = SCHOOL_YEAR.match(str(code or "").strip())
    if match is None or int(match[2]) != int(match[1]) + 1 or not 2000 <= int(match[1]) <= 2100:
        raise Invalid({field: [_("Give a school year as 2025-2026.")]})
    return SchoolYear(int(match[1]))


def school_year_of(day: datetime.date) -> SchoolYear:
    return SchoolYear(day.year if day.month >= 9 else day.year - 1)


@dataclass(frozen=True)
class Term:
    kind: str  # "months", "annual" or "during_year"
    starts_on: datetime.date
    ends_on: datetime.date

    def as_json(self) -> str | dict[str, str]:
        if self.kind != "months":
            return self.kind
        return {"from": f"{self.starts_on:%Y-%m}", "to": f"{self.ends_on:%Y-%m}"}


def _month(raw: Any) -> tuple[int, int] | None:
    match = MONTH.match(str(raw or "").strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    return int(match[1]), int(match[2])


def parse_term(raw: Any, year: SchoolYear) -> Term:
    """The term of an action in ``year``; 400 on ``term`` for anything else."""
    if raw in WHOLE_YEAR:
        return Term(str(raw), year.start, year.end)
    if not isinstance(raw, dict) or set(raw) != {"from", "to"}:
        raise Invalid(
            {
                "term": [
                    _(
                        'Give the term as {"from": "2025-09", "to": "2025-10"}, "annual" or '
                        '"during_year".'
                    )
                ]
            }
        )
    first, last = _month(raw["from"]), _month(raw["to"])
    if first is None or last is None:
        raise Invalid({"term": [_("Give the months as YYYY-MM, e.g. 2025-09.")]})
    starts_on = datetime.date(first[0], first[1], 1)
    ends_on = datetime.date(last[0], last[1], calendar.monthrange(*last)[1])
    if starts_on > ends_on:
        raise Invalid({"term": [_("The term's first month comes after its last.")]})
    if starts_on < year.start or ends_on > year.end:
        raise Invalid(
            {
                "term": [
                    _("The term must fall within the school year %(year)s (September to August).")
                    % {"year": year.code}
                ]
            }
        )
    return Term("months", starts_on, ends_on)
