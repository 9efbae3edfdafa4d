"""A report as a document: the PDF to sign and file, the XLSX to work with, each with its
registration and approval, in the school's language."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from casework.models import AuditEvent, User
from casework.services.audit import audit_record
from counselling.models import ActivityKind, Channel, Report, Topic
from counselling.reports.content import report_content

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown_content(report: Report) -> dict[str, Any]:
    """The frozen figures of a submitted report; a draft's as the records say today."""
    return report_content(report) if report.editable else report.content


def figure_rows(content: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(group, label, count) rows of the figures, labelled in the active language."""
    activities = content.get("activities") or {}
    rows: list[tuple[str, str, int]] = [
        (_("Activities"), _("total"), activities.get("total", 0)),
        (_("Students"), _("reached"), content.get("students_reached", 0)),
        (_("Activities"), _("with an attendance list"), content.get("with_attendance", 0)),
    ]
    for group, field, choices in (
        (_("By kind"), "by_kind", ActivityKind),
        (_("By channel"), "by_channel", Channel),
        (_("By topic"), "by_topic", Topic),
    ):
        counts = activities.get(field) or {}
        rows += [(group, str(label), counts.get(value, 0)) for value, label in choices.choices]
    return rows


def status_labels() -> dict[str, str]:
    return {
        "not_started": _("not started"),
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "achieved": _("achieved"),
        "missed": _("missed"),
    }


def evidence_labels() -> dict[str, str]:
    return {
        "records": _("records"),
        "activities": _("activities"),
        "students": _("students"),
        "values": _("values entered"),
    }


def indicator_rows(content: dict[str, Any]) -> list[tuple[str, str, int, int, str, str]]:
    """(action number, indicator, target, achieved, status, evidence) of a plan monitoring
    report, labelled in the active language."""
    statuses, words = status_labels(), evidence_labels()
    return [
        (
            f"{row['objective']}.{row['action']}",
            row["text"],
            row["target"],
            row["achieved"],
            statuses.get(row["status"], row["status"]),
            ", ".join(f"{words.get(k, k)}: {v}" for k, v in (row.get("evidence") or {}).items()),
        )
        for row in content.get("indicators", [])
    ]


def _context(report: Report) -> dict[str, Any]:
    content = shown_content(report)
    return {
        "report": report,
        "school": report.school,
        "content": content,
        "rows": figure_rows(content),
        "indicators": indicator_rows(content),
        "generated_at": timezone.localtime(),
    }


def report_pdf(report: Report, actor: User) -> bytes:
    # WeasyPrint is imported here, not at the top: it loads Pango, which only this export needs.
    from weasyprint import HTML

    with translation.override(report.school.language or "ro"):
        html = render_to_string("counselling/report_document.html", _context(report))
    pdf: bytes = HTML(string=html).write_pdf()
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, obj=report, data={"format": "pdf"})
    return pdf


def report_xlsx(report: Report, actor: User) -> bytes:
    with translation.override(report.school.language or "ro"):
        context = _context(report)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Report")[:31]
        for label, value in _heading(report):
            sheet.append([label, value])
        if context["indicators"]:
            sheet.append([])
            sheet.append(
                [
                    _("Action"),
                    _("Indicator"),
                    _("Target"),
                    _("Achieved"),
                    _("Status"),
                    _("Evidence"),
                ]
            )
            for indicator in context["indicators"]:
                sheet.append(list(indicator))
        sheet.append([])
        sheet.append([_("Group"), _("Figure"), _("Count")])
        for row in context["rows"]:
            sheet.append(list(row))
        sheet.append([])
        sheet.append([_("Date"), _("Activity"), _("Class"), _("Present")])
        for line in context["content"].get("attendance", []):
            sheet.append([line["held_on"], line["title"], line["class_name"], line["present"]])
    out = io.BytesIO()
    book.save(out)
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, obj=report, data={"format": "xlsx"})
    return out.getvalue()


def _heading(report: Report) -> list[tuple[str, str]]:
    return [
        (_("School"), report.school.name),
        (_("Report"), str(report.get_kind_display())),
        (_("Period"), report.period),
        (_("Author"), report.author.get_full_name() or report.author.get_username()),
        (_("Status"), str(report.get_status_display())),
        (_("Registration"), report.registration or ""),
        (_("Approved on"), f"{report.approved_on:%d.%m.%Y}" if report.approved_on else ""),
        (_("Narrative"), report.narrative),
        (_("Analysis"), report.analysis_note),
    ]


def report_file_response(report: Report, actor: User, fmt: str) -> HttpResponse:
    """The document as an answer to the page and the API alike."""
    if fmt == "pdf":
        response = HttpResponse(report_pdf(report, actor), content_type="application/pdf")
    else:
        response = HttpResponse(report_xlsx(report, actor), content_type=XLSX)
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}.{fmt}"'
    return response
