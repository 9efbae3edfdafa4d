"""The minutes (procesul verbal) as a PDF, in the office's language.

Rendered from ``templates/meetings/minutes.html`` with WeasyPrint (needs Pango). Students
appear by code and initials only: the minutes get printed and filed, and the office knows
whom a code means.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework.models import AuditEvent, User
from casework.services.audit import audit_record
from workflows.agenda import reason_text
from workflows.models import AgendaItem, Attendance, Decision, Meeting
from workflows.selectors import agenda_items_for


def student_label(item: AgendaItem) -> str:
    student = item.case.student
    initials = f"{student.first_name[:1]}. {student.last_name[:1]}."
    return f"{student.code} — {initials}, {student.class_name}"


def minutes_context(meeting: Meeting, user: User) -> dict[str, Any]:
    items = list(agenda_items_for(user, meeting).prefetch_related("decisions"))
    decisions: dict[int, list[Decision]] = {}
    for decision in Decision.objects.filter(meeting=meeting, item__in=items).order_by(
        "recorded_at", "id"
    ):
        decisions.setdefault(decision.item_id, []).append(decision)
    attendance = list(meeting.attendance.select_related("user").order_by("user__last_name"))
    return {
        "meeting": meeting,
        "school": meeting.office.school,
        "office": meeting.office,
        "when": timezone.localtime(meeting.scheduled_for),
        "attendance": attendance,
        # The paper copy is signed by those present and by whoever closed the minutes.
        "signers": [row.user for row in attendance if row.status == Attendance.Status.PRESENT],
        "items": [
            {
                "item": item,
                "student": student_label(item),
                "reasons": [reason_text(r, decided=item.pk in decisions) for r in item.reasons],
                "decisions": decisions.get(item.pk, []),
            }
            for item in items
        ],
        "generated_at": timezone.localtime(),
    }


def minutes_html(meeting: Meeting, user: User) -> str:
    language = meeting.office.school.language or "ro"
    with translation.override(language):
        return render_to_string(
            "meetings/minutes.html", {**minutes_context(meeting, user), "language": language}
        )


def minutes_pdf(meeting: Meeting, user: User) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=minutes_html(meeting, user)).write_pdf()
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        obj=meeting,
        data={"format": "pdf", "cases": [i.case_id for i in agenda_items_for(user, meeting)]},
    )
    return pdf
