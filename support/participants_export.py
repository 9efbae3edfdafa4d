"""An opportunity's participant list as a spreadsheet (XLSX) or CSV: the rows its reader may see
(every participant for the opportunity's managers; for others those linked to a case they see),
with the case only for those who see it, and every cell formula-safe."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from casework.errors import Invalid
from casework.models import User
from casework.services.audit import audit_list
from support import selectors
from support.export import XLSX, safe
from support.models import Opportunity, Participation

FORMATS = ("xlsx", "csv")


def _headers() -> list[str]:
    return [
        _("Participant"),
        _("Role"),
        _("Status"),
        _("Student's code"),
        _("Class"),
        _("Proposed on"),
        _("Completed on"),
        _("Hours done"),
        _("Certificate"),
        _("Dossier"),
        _("Case"),
    ]


def _row(participation: Participation, seen: set[int]) -> list[Any]:
    student = participation.student
    dossier = list(participation.dossier.all())
    done = sum(1 for item in dossier if item.done_on)
    return [
        participation.person_name,
        participation.get_role_display(),
        participation.get_status_display(),
        student.code if student else "",
        student.class_name if student else "",
        participation.proposed_at.date(),
        participation.completed_on,
        participation.hours_done,
        participation.certificate,
        f"{done}/{len(dossier)}" if dossier else "",
        participation.case_id if participation.case_id in seen else "",
    ]


def participant_rows(user: User, opportunity: Opportunity) -> list[list[Any]]:
    participations = list(selectors.participations_visible_to(user).filter(opportunity=opportunity))
    seen = selectors.visible_case_ids(user, participations)
    audit_list(actor=user, object_type="participation", ids=[p.pk for p in participations])
    return [[safe(value) for value in _row(p, seen)] for p in participations]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Participants")[:31]  # a sheet name is at most 31 characters
    sheet.append(_headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # With a byte-order mark, spreadsheet programs read the diacritics (ș, ț) right.
    return buffer.getvalue().encode("utf-8-sig")


def participants_response(*, user: User, opportunity: Opportunity, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Invalid({"format": [_("Choose one of: %(choices)s.") % {"choices": "xlsx, csv"}]})
    rows = participant_rows(user, opportunity)
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(rows), content_type=XLSX)
    else:
        response = HttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    # Translators: a file name: ASCII letters, no spaces (Romanian: without diacritics).
    stem = pgettext("file name", "participants")
    name = f"{stem}-{opportunity.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
