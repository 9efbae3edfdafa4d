"""``achieved`` and ``status`` of every indicator of a plan, counted live from the records.

A plan is counted at once: one query per measure its indicators use (two for the students
reached), each bounded by the plan's school year and returning one small row per record; the
rows are then matched to each indicator's filter and term in Python. So the number of queries
does not grow with the records, nor with the indicators (tests/plans/test_achieved.py; the
timing over a school year is in docs/PERFORMANCE.md, "Action plans").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Q

from counselling.models import Activity, ActivityKind, Attendee, Report, ReportStatus
from plans.measures import matches
from plans.models import ActionPlan, IndicatorValue, Measure, PlanAction, PlanIndicator
from plans.school_years import SchoolYear, parse_school_year
from support.models import Agreement, Opportunity, Participation, Partner, Role, Status


@dataclass(frozen=True)
class Row:
    """One record counted by a measure: its day, what filters read, the unit counted (an
    activity, a student, ...) and the evidence it adds (the activity, the student)."""

    day: datetime.date
    attrs: dict[str, Any]
    unit: Any
    weight: int = 1
    activity: int | None = None
    student: int | None = None


@dataclass
class Tally:
    achieved: int = 0
    evidence: dict[str, int] = field(default_factory=dict)


Loader = Callable[[int, SchoolYear], list[Row]]


def _activities(school_id: int, year: SchoolYear) -> list[Row]:
    found = (
        Activity.objects.filter(school_id=school_id, held_on__range=(year.start, year.end))
        .annotate(present=Count("attendees"))
        .values_list("id", "held_on", "topic", "kind", "present")
    )
    return [
        Row(day, {"topic": topic, "kind": kind, "with_attendance": present > 0}, pk, activity=pk)
        for pk, day, topic, kind, present in found
    ]


def _students_reached(school_id: int, year: SchoolYear) -> list[Row]:
    # Those on an attendance list, and the student of an individual activity (as the
    # counselling reports count them).
    window = {"school_id": school_id, "held_on__range": (year.start, year.end)}
    listed = Attendee.objects.filter(
        **{f"activity__{key}": value for key, value in window.items()}
    ).values_list("student_id", "activity_id", "activity__held_on", "activity__topic")
    alone = (
        Activity.objects.filter(kind=ActivityKind.INDIVIDUAL, **window)
        .values_list("student_id", "id", "held_on", "topic")
        .order_by()
    )
    return [
        Row(day, {"topic": topic}, student, activity=activity, student=student)
        for student, activity, day, topic in [*listed.order_by(), *alone]
    ]


def _partners(school_id: int, year: SchoolYear) -> list[Row]:
    found = Partner.objects.filter(
        school_id=school_id, identified_on__range=(year.start, year.end)
    ).values_list("id", "identified_on", "kind")
    return [Row(day, {"kind": kind}, pk) for pk, day, kind in found.order_by()]


def _agreements(school_id: int, year: SchoolYear) -> list[Row]:
    found = Agreement.objects.filter(
        partner__school_id=school_id, signed_on__range=(year.start, year.end)
    ).values_list("id", "signed_on", "purpose")
    return [Row(day, {"purpose": purpose}, pk) for pk, day, purpose in found.order_by()]


def _opportunities(school_id: int, year: SchoolYear) -> list[Row]:
    found = Opportunity.objects.filter(
        school_id=school_id, starts_on__range=(year.start, year.end)
    ).values_list("id", "starts_on", "kind")
    return [Row(day, {"kind": kind}, pk) for pk, day, kind in found.order_by()]


def _participants(school_id: int, year: SchoolYear) -> list[Row]:
    found = Participation.objects.filter(
        opportunity__school_id=school_id,
        role=Role.LEARNER,
        status=Status.COMPLETED,
        completed_on__range=(year.start, year.end),
    ).values_list("student_id", "completed_on", "opportunity__kind")
    # The range above leaves no row without its day.
    return [
        Row(day, {"kind": kind}, student, student=student)
        for student, day, kind in found.order_by()
        if day is not None
    ]


def _dossiers(school_id: int, year: SchoolYear) -> list[Row]:
    # Complete: every item of the checklist done; dated by the last item done.
    found = (
        Participation.objects.filter(opportunity__school_id=school_id, role=Role.LEARNER)
        .exclude(status=Status.WITHDRAWN)
        .annotate(
            items=Count("dossier"),
            done=Count("dossier", filter=Q(dossier__done_on__isnull=False)),
            day=Max("dossier__done_on"),
        )
        .filter(items__gt=0, done=F("items"), day__range=(year.start, year.end))
        .values_list("id", "day", "opportunity__kind", "student_id")
    )
    return [
        Row(day, {"kind": kind}, pk, student=student) for pk, day, kind, student in found.order_by()
    ]


def _reports(school_id: int, year: SchoolYear) -> list[Row]:
    found = Report.objects.filter(
        school_id=school_id,
        status=ReportStatus.APPROVED,
        approved_on__range=(year.start, year.end),
    ).values_list("id", "approved_on", "kind")
    return [Row(day, {"kind": kind}, pk) for pk, day, kind in found.order_by() if day is not None]


LOADERS: dict[str, Loader] = {
    Measure.ACTIVITIES: _activities,
    Measure.STUDENTS_REACHED: _students_reached,
    Measure.PARTNERS: _partners,
    Measure.AGREEMENTS: _agreements,
    Measure.OPPORTUNITIES: _opportunities,
    Measure.PARTICIPANTS: _participants,
    Measure.DOSSIERS: _dossiers,
    Measure.REPORTS: _reports,
}


def _manual(indicators: list[PlanIndicator]) -> dict[int, list[Row]]:
    ids = [i.pk for i in indicators if i.measure == Measure.MANUAL]
    rows: dict[int, list[Row]] = {pk: [] for pk in ids}
    if ids:
        found = IndicatorValue.objects.filter(indicator_id__in=ids).values_list(
            "indicator_id", "id", "as_of", "value"
        )
        for indicator, pk, day, value in found.order_by():
            rows[indicator].append(Row(day, {}, pk, weight=value))
    return rows


def _tally(indicator: PlanIndicator, action: PlanAction, rows: Iterable[Row]) -> Tally:
    counted = [
        row
        for row in rows
        if action.starts_on <= row.day <= action.ends_on and matches(indicator.filter, row.attrs)
    ]
    units = {row.unit for row in counted}
    if indicator.measure == Measure.MANUAL:
        return Tally(sum(row.weight for row in counted), {"values": len(counted)})
    evidence = {"records": len(units)}
    activities = {row.activity for row in counted if row.activity is not None}
    students = {row.student for row in counted if row.student is not None}
    if activities:
        evidence["activities"] = len(activities)
    if students:
        evidence["students"] = len(students)
    return Tally(len(units), evidence)


def status_of(achieved: int, target: int, action: PlanAction, today: datetime.date) -> str:
    """``not_started`` before the term, ``achieved`` at the target, ``missed`` after the term
    under it; within the term ``at_risk`` when over half its days are gone and under half the
    target is reached, else ``on_track``."""
    if today < action.starts_on:
        return "not_started"
    if achieved >= target:
        return "achieved"
    if today > action.ends_on:
        return "missed"
    days = (action.ends_on - action.starts_on).days + 1
    gone = (today - action.starts_on).days
    if gone * 2 > days and achieved * 2 < target:
        return "at_risk"
    return "on_track"


def count_indicators(
    plan: ActionPlan, indicators: list[PlanIndicator], today: datetime.date
) -> dict[int, dict[str, Any]]:
    """``{indicator id: {"achieved", "status", "evidence"}}`` for ``indicators`` of ``plan``
    (each with its ``action`` loaded)."""
    year = parse_school_year(plan.school_year)
    measures = {i.measure for i in indicators} - {Measure.MANUAL}
    rows = {measure: LOADERS[measure](plan.school_id, year) for measure in measures}
    manual = _manual(indicators)
    found = {}
    for indicator in indicators:
        own = (
            manual[indicator.pk] if indicator.measure == Measure.MANUAL else rows[indicator.measure]
        )
        tally = _tally(indicator, indicator.action, own)
        found[indicator.pk] = {
            "achieved": tally.achieved,
            "status": status_of(tally.achieved, indicator.target, indicator.action, today),
            "evidence": tally.evidence,
        }
    return found
