"""What a report says, counted from the records (seed 004: the semester report counts the
activities by kind, channel and topic, the students reached and the attendance lists).

A few grouped queries whatever the number of activities: docs/PERFORMANCE.md, "Report content".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from casework.models import Student
from counselling.models import Activity, ActivityKind, Channel, Report, ReportKind, ReportStatus
from counselling.reports.periods import parse_period
from plans.selectors import plan_monitoring_content

# The semester reports a summary gathers.
GATHERED = (ReportStatus.REGISTERED, ReportStatus.ANALYSED)


def _counts(activities: QuerySet[Activity], field: str, values: list[str]) -> dict[str, int]:
    found = dict(activities.order_by().values_list(field).annotate(n=Count("id")))
    return {value: found.get(value, 0) for value in values}


def _figures(activities: QuerySet[Activity]) -> dict[str, Any]:
    # Topic choices are read from the model so a new topic is counted without a change here.
    topics = list(Activity._meta.get_field("topic").choices or [])
    reached = Student.objects.filter(
        Q(attended__activity__in=activities)
        | Q(activities__in=activities.filter(kind=ActivityKind.INDIVIDUAL))
    ).distinct()
    attendance = [
        {
            "activity": row["id"],
            "held_on": row["held_on"].isoformat(),
            "title": row["title"],
            "class_name": row["class_name"],
            "author": row["author_id"],
            "present": row["present"],
        }
        for row in activities.order_by("held_on", "id")
        .annotate(present=Count("attendees"))
        .values("id", "held_on", "title", "class_name", "author_id", "present")
    ]
    total = len(attendance)
    return {
        "activities": {
            "total": total,
            "by_kind": _counts(activities, "kind", ActivityKind.values),
            "by_channel": _counts(activities, "channel", Channel.values),
            "by_topic": _counts(activities, "topic", [str(value) for value, _ in topics]),
        },
        "students_reached": reached.count(),
        "with_attendance": sum(1 for row in attendance if row["present"]),
        "attendance": attendance,
    }


def _activities_of(report: Report, authors: list[int]) -> QuerySet[Activity]:
    period = parse_period(report.period)
    return Activity.objects.filter(
        school_id=report.school_id,
        author_id__in=authors,
        held_on__gte=period.start,
        held_on__lte=period.end,
    )


def gathered_reports(report: Report) -> QuerySet[Report]:
    """The school's registered or analysed semester reports of a summary's period."""
    return Report.objects.filter(
        school_id=report.school_id,
        kind=ReportKind.COUNSELLING_SEMESTER,
        period__in=parse_period(report.period).covered(),
        status__in=GATHERED,
    ).order_by("registration_year", "registration_number", "id")


def report_content(report: Report) -> dict[str, Any]:
    """The figures of ``report`` as its records say today."""
    if report.kind == ReportKind.COUNSELLING_SEMESTER:
        return _figures(_activities_of(report, [report.author_id]))
    if report.kind == ReportKind.COUNSELLING_SUMMARY:
        reports = list(gathered_reports(report).select_related("author"))
        authors = sorted({r.author_id for r in reports} | {report.author_id})
        content = _figures(_activities_of(report, authors))
        content["reports"] = [
            {
                "id": r.pk,
                "author": r.author_id,
                "author_name": r.author.get_full_name() or r.author.get_username(),
                "period": r.period,
                "registration": r.registration,
                "status": r.status,
                "activities": (r.content.get("activities") or {}).get("total", 0),
            }
            for r in reports
        ]
        return content
    if report.plan is not None:
        # Plan monitoring: the plan's indicators, target against achieved, as of today (frozen
        # with the rest when the report is submitted).
        return plan_monitoring_content(report.plan)
    return {}
