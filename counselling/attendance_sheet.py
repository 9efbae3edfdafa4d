"""The attendance list as a PDF to print, take into the room and have signed (seed 004: the
counsellor "keeps the attendance lists").

Rendered in the school's language with WeasyPrint. Who is listed: the students recorded as
present, else the class (or the one student) the activity was held with, so the sheet can be
signed before anyone has ticked a list; blank lines are left for those who are not listed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework.models import AuditEvent, Student, User
from casework.services.audit import audit_record
from counselling.models import Activity
from counselling.selectors import attendees_of, class_list

BLANK_LINES = 5


def sheet_students(activity: Activity) -> tuple[list[Student], bool]:
    """The students on the sheet, and whether they are the recorded list (not the class)."""
    recorded = list(attendees_of(activity))
    if recorded:
        return recorded, True
    return list(class_list(activity)), False


def attendance_html(activity: Activity) -> str:
    students, recorded = sheet_students(activity)
    language = activity.school.language or "ro"
    with translation.override(language):
        return render_to_string(
            "counselling/attendance_sheet.html",
            {
                "activity": activity,
                "school": activity.school,
                "students": students,
                "recorded": recorded,
                "blank_lines": range(len(students) + 1, len(students) + 1 + BLANK_LINES),
                "language": language,
                "generated_at": timezone.localtime(),
            },
        )


def attendance_response(activity: Activity, actor: User | Any) -> HttpResponse:
    """The sheet as an answer to the page and the API alike."""
    response = HttpResponse(attendance_pdf(activity, actor), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attendance-{activity.pk}.pdf"'
    return response


def attendance_pdf(activity: Activity, actor: User | Any) -> bytes:
    # WeasyPrint is imported here, not at the top: it loads Pango, which only this page needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=attendance_html(activity)).write_pdf()
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, obj=activity, data={"format": "pdf"})
    return pdf
