"""Report periods: a semester ``2025-2026/1`` (1 September to 31 January), ``2025-2026/2``
(1 February to 31 August), or a school year ``2025-2026``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.errors import Invalid

PERIOD = re.compile(r"^(\d{4})-(\d{4})(?:/([12]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    first_year: int
    semester: int | None

    @property
    def start(self) -> datetime.date:
        if self.semester == 2:
            return datetime.date(self.first_year + 1, 2, 1)
        return datetime.date(self.first_year, 9, 1)

    @property
    def end(self) -> datetime.date:
        if self.semester == 1:
            return datetime.date(self.first_year + 1, 1, 31)
        return datetime.date(self.first_year + 1, 8, 31)

    @property
    def school_year(self) -> str:
        return f"{self.first_year}-{self.first_year + 1}"

    def covered(self) -> list[str]:
        """The periods whose semester reports a summary of this period gathers."""
        if self.semester is not None:
            return [self.code]
        year = self.school_year
        return [year, f"{year}/1", f"{year}/2"]


def parse_period(code: str) -> Period:
    match = PERIOD.match(str(code or "").strip())
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise Invalid(
            {
                "period": [
                    _(
                        "Give a semester as 2025-2026/1 or 2025-2026/2, or a school year as "
                        "2025-2026."
                    )
                ]
            }
        )
    return Period(
        code=match[0], first_year=int(match[1]), semester=int(match[3]) if match[3] else None
    )


def current_semester(day: datetime.date) -> Period:
    first = day.year if day.month >= 9 else day.year - 1
    semester = 2 if 2 <= day.month <= 8 else 1
    return parse_period(f"{first}-{first + 1}/{semester}")


def choices_around(day: datetime.date) -> list[str]:
    """The periods a new-report form offers: this and the previous semester, this school year."""
    now = current_semester(day)
    previous = current_semester(now.start - datetime.timedelta(days=1))
    return [now.code, previous.code, now.school_year]
