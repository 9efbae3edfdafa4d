"""Shared builders for the report tests: activities in a semester, and a report walked to a
given status through the services."""

from __future__ import annotations

import datetime

from casework.models import Student, User
from counselling.models import Activity, Attendee, Report
from counselling.reports import services

SEMESTER = "2025-2026/1"
IN_SEMESTER = datetime.date(2025, 11, 12)


def held(
    author: User,
    *,
    kind: str = "group",
    channel: str = "direct",
    topic: str = "career_routes",
    day: datetime.date = IN_SEMESTER,
    students: list[Student] | None = None,
) -> Activity:
    students = students or []
    activity = Activity.objects.create(
        school_id=author.school_id or 0,
        author=author,
        kind=kind,
        channel=channel,
        topic=topic,
        title="Rute",
        held_on=day,
        duration_minutes=50,
        class_name="10A",
        student=students[0] if kind == "individual" else None,
    )
    Attendee.objects.bulk_create([Attendee(activity=activity, student=s) for s in students])
    return activity


def walk(report: Report, receiver: User, to: str) -> Report:
    """Move a semester or summary report from draft to ``to`` (``submitted``, ``registered``,
    ``analysed`` or ``approved``) through the services."""
    report = services.report_submit(actor=report.author, report=report)
    if to == "submitted":
        return report
    report = services.report_register(actor=receiver, report=report)
    if to == "analysed":
        return services.report_analyse(
            actor=receiver, report=report, note="Analizat cu directorul adjunct."
        )
    if to == "approved":
        return services.report_approve(actor=receiver, report=report)
    return report
