"""The mobility export: one row per Erasmus+ participation of a school year, with the fields the
Erasmus+ Beneficiary Module asks for, so a coordinator does not type each mobility twice."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from casework.errors import Invalid
from casework.models import School, User
from casework.services.audit import audit_list
from support.kinds import ERASMUS_KINDS, Kind
from support.models import PLACE_TAKING, Participation, Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell a spreadsheet would read as a formula is kept as text (CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def school_year_bounds(raw: str) -> tuple[datetime.date, datetime.date]:
    """``2025-2026`` → 1 September 2025 to 31 August 2026 (the Romanian school year)."""
    match = re.fullmatch(r"(\d{4})-(\d{4})", raw or "")
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise Invalid({"school_year": [_("Give the school year as YYYY-YYYY, e.g. 2025-2026.")]})
    start = int(match[1])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def export_rows(school_id: int, first: datetime.date, last: datetime.date) -> list[Participation]:
    return list(
        Participation.objects.filter(
            opportunity__school_id=school_id,
            opportunity__kind__in=ERASMUS_KINDS,
            opportunity__starts_on__range=(first, last),
            status__in=PLACE_TAKING,
        )
        .select_related("student", "staff", "opportunity__partner__entry")
        .annotate(
            accompanying=Count(
                "opportunity__participations",
                filter=Q(
                    opportunity__participations__role=Role.ACCOMPANYING,
                    opportunity__participations__status__in=PLACE_TAKING,
                ),
            )
        )
        .order_by("opportunity__starts_on", "opportunity_id", "id")
    )


HEADERS = [
    "activity_type",
    "participant",
    "role",
    "sending_organisation",
    "receiving_organisation",
    "receiving_country",
    "start",
    "end",
    "duration_days",
    "travel_days",
    "accompanying_persons",
]


def _row(participation: Participation, school: School) -> list[Any]:
    opportunity = participation.opportunity
    partner = opportunity.partner
    return [
        Kind(opportunity.kind).value,
        participation.person_name,
        participation.role,
        school.name,
        partner.entry.name if partner else "",
        partner.country if partner else "",
        opportunity.starts_on,
        opportunity.ends_on,
        opportunity.duration,
        opportunity.travel_days,
        getattr(participation, "accompanying", 0) if participation.role == Role.LEARNER else "",
    ]


def export_response(
    *, user: User, school_id: int, first: datetime.date, last: datetime.date
) -> HttpResponse:
    school = School.objects.get(pk=school_id)
    rows = export_rows(school_id, first, last)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "mobilities"
    sheet.append(HEADERS)
    for participation in rows:
        sheet.append([safe(value) for value in _row(participation, school)])
    buffer = io.BytesIO()
    book.save(buffer)
    audit_list(actor=user, object_type="participation", ids=[p.pk for p in rows])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"mobilities-{first.year}-{last.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
