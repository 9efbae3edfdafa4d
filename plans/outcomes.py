"""The office's outcomes, read from the records (DESIGN.md, "Outcomes"; docs/OUTCOMES.md says
what each figure means and what it does not prove).

Everything is counted by the database: each figure is one aggregate query (or, for a median, a
count and one ordered slice), so the cost grows with the number of groups shown, never with the
number of students. Python only arranges the few rows that come back.

A student's outcome ``h`` days after a day ``d`` is read from the enrolment the student import
keeps (``status``, ``left_on``): *pending* while ``d + h`` is still ahead, *retained* if the
student had not left by ``d + h`` (still enrolled, or left later), else the status with which
the student left (``dropped_out``, ``transferred``, ``graduated``). Months are counted as days
(``HORIZONS``) so the database can do the arithmetic on every backend.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import (
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework.models import (
    Case,
    CaseEvent,
    ClosingReview,
    Function,
    Objective,
    Referral,
    School,
    Stage,
    Student,
)
from support.models import PLACE_TAKING, Participation
from workflows.models import CaseTask

# Six and twelve months, in days (half a year and a year, rounded up).
HORIZONS = {6: 183, 12: 365}
# The effectiveness grid reads each case's outcome a year after flagging.
EFFECT_MONTHS = 12
# A cell of the grid with fewer students than this shows no counts: with so few, a count could
# point at a student, and a rate would mean nothing.
MIN_CELL = 5
STAGES = (Stage.MONITORING, Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING)
OUTCOMES = ("retained", "dropped_out", "transferred", "graduated", "pending")


@dataclass(frozen=True)
class Period:
    """Cases flagged from ``since`` to ``until``, both included."""

    since: datetime.date
    until: datetime.date


def cases_flagged(school: School, period: Period) -> QuerySet[Case]:
    return Case.objects.filter(
        office__school=school,
        opened_at__date__gte=period.since,
        opened_at__date__lte=period.until,
    )


# -- the pieces: percentiles and outcomes, both computed by the database ------------------------


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def percentiles(queryset: QuerySet[Any], field: str) -> dict[str, Any]:
    """Median and 90th percentile (nearest rank) of a duration, in days, and how many."""
    count = queryset.count()
    if not count:
        return {"count": 0, "median_days": None, "p90_days": None}
    ordered = queryset.order_by(field).values_list(field, flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    median = middle[0] + (middle[-1] - middle[0]) / 2
    p90 = ordered[math.ceil(0.9 * count) - 1]
    return {"count": count, "median_days": _days(median), "p90_days": _days(p90)}


def outcome(student: str, day: str, horizon_days: int, today: datetime.date) -> models.Case:
    """The outcome of ``student`` (a path to a student, "" for the student itself) ``horizon_days``
    after the date expression named ``day``; see the module's docstring."""
    prefix = f"{student}__" if student else ""
    return models.Case(
        When(
            **{f"{day}__gt": today - datetime.timedelta(days=horizon_days)}, then=Value("pending")
        ),
        When(
            Q(**{f"{prefix}left_on__isnull": True}) | Q(stay__gt=datetime.timedelta(horizon_days)),
            then=Value("retained"),
        ),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )


def _stay(student: str, day: str) -> ExpressionWrapper:
    prefix = f"{student}__" if student else ""
    return ExpressionWrapper(F(f"{prefix}left_on") - F(day), output_field=DurationField())


def _tally(rows: QuerySet[Any]) -> dict[str, Any]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        counts[row["outcome"]] += row["n"]
    students = sum(counts.values())
    known = students - counts["pending"]
    return {
        "students": students,
        **counts,
        "retention_rate": round(counts["retained"] / known, 3) if known else None,
    }


# -- the key figures -----------------------------------------------------------------------------


def time_to_triage(cases: QuerySet[Case]) -> dict[str, Any]:
    done = CaseTask.objects.filter(
        case__in=cases, name="triage", task__status=STATUS.DONE, task__finished__isnull=False
    ).annotate(took=ExpressionWrapper(F("task__finished") - F("case__opened_at"), DurationField()))
    return percentiles(done, "took")


def time_in_stage(cases: QuerySet[Case], stage: str) -> dict[str, Any]:
    """From entering ``stage`` to leaving it, for the stays that have ended."""
    left = CaseEvent.objects.filter(
        case=OuterRef("case"),
        kind=CaseEvent.Kind.TRANSITION,
        from_stage=stage,
        created_at__gte=OuterRef("created_at"),
    ).order_by("created_at", "id")
    stays = (
        CaseEvent.objects.filter(
            case__in=cases,
            kind__in=[CaseEvent.Kind.FLAGGED, CaseEvent.Kind.TRANSITION],
            to_stage=stage,
        )
        .annotate(left_at=Subquery(left.values("created_at")[:1]))
        .filter(left_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("left_at") - F("created_at"), DurationField()))
    )
    return percentiles(stays, "took")


def closure(cases: QuerySet[Case]) -> dict[str, Any]:
    counts = cases.aggregate(
        flagged=Count("id"),
        archived=Count("id", filter=Q(stage=Stage.ARCHIVED)),
        withdrawn=Count("id", filter=Q(stage=Stage.WITHDRAWN)),
    )
    counts["open"] = counts["flagged"] - counts["archived"] - counts["withdrawn"]
    flagged = counts["flagged"]
    counts["rate"] = round(counts["archived"] / flagged, 3) if flagged else None
    return counts


def objectives_met(cases: QuerySet[Case]) -> dict[str, Any]:
    reviews = dict.fromkeys(ClosingReview.ObjectivesMet.values, 0)
    by_review = ClosingReview.objects.filter(case__in=cases).values_list("objectives_met")
    reviews.update(by_review.annotate(n=Count("id")).order_by())
    objectives = dict.fromkeys(Objective.Status.values, 0)
    by_status = Objective.objects.filter(case__in=cases).values_list("status")
    objectives.update(by_status.annotate(n=Count("id")).order_by())
    return {"closing_reviews": reviews, "objectives": objectives}


def retention(school: School, period: Period, today: datetime.date) -> list[dict[str, Any]]:
    """Flagged students (first flagged in the period, followed from that day) against the
    school's students never flagged (on the roll on the period's first day, followed from it)."""
    first_flag = (
        Case.objects.filter(student=OuterRef("pk"))
        .filter(opened_at__date__gte=period.since, opened_at__date__lte=period.until)
        .order_by("opened_at")
        .annotate(day=TruncDate("opened_at"))
        .values("day")[:1]
    )
    flagged = (
        Student.objects.filter(school=school)
        .annotate(flag_day=Subquery(first_flag))
        .filter(flag_day__isnull=False)
    )
    on_roll = (
        Student.objects.filter(school=school, cases__isnull=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.since))
        .annotate(flag_day=Value(period.since))
    )
    found = []
    for months, days in HORIZONS.items():
        found.append(
            {
                "months": months,
                "days": days,
                "flagged": _tally(_outcomes(flagged, days, today)),
                "unflagged": _tally(_outcomes(on_roll, days, today)),
            }
        )
    return found


def _outcomes(students: QuerySet[Student], days: int, today: datetime.date) -> QuerySet[Any]:
    return (
        students.annotate(stay=_stay("", "flag_day"))
        .annotate(outcome=outcome("", "flag_day", days, today))
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )


def kpis(school: School, period: Period, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    cases = cases_flagged(school, period)
    return {
        "from": period.since.isoformat(),
        "to": period.until.isoformat(),
        "time_to_triage": time_to_triage(cases),
        "time_in_stage": {stage: time_in_stage(cases, stage) for stage in STAGES},
        "closure": closure(cases),
        "objectives_met": objectives_met(cases),
        "retention": retention(school, period, today),
    }


# -- effectiveness: interventions by risk level at flagging ---------------------------------------

# Each source answers, for the cases flagged in the period, rows of (intervention, risk level,
# outcome, number of students), counted by the database; a new kind of intervention is one more
# entry in ``SOURCES``. The support app's participations are read from its models here: support
# never imports plans, so the import points one way and no circle forms.
Source = Callable[[QuerySet[Case], datetime.date], QuerySet[Any]]


def _grid_rows(
    queryset: QuerySet[Any], case: str, intervention: Any, today: datetime.date
) -> QuerySet[Any]:
    """``queryset`` (rows pointing at a case through ``case``) grouped by intervention, risk at
    flagging and outcome, counting distinct students."""
    days = HORIZONS[EFFECT_MONTHS]
    return (
        queryset.annotate(
            flag_day=TruncDate(f"{case}__opened_at"),
            stay=_stay(f"{case}__student", "flag_day"),
        )
        .annotate(
            intervention=intervention,
            risk_level=Coalesce(NullIf(F(f"{case}__risk_at_flag"), Value("")), Value("unknown")),
            outcome=outcome(f"{case}__student", "flag_day", days, today),
        )
        .values("intervention", "risk_level", "outcome")
        .annotate(n=Count(f"{case}__student", distinct=True))
        .order_by()
    )


def function_rows(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Any]:
    """The case's function tasks (created at ``start_intervention``), unless cancelled."""
    tasks = CaseTask.objects.filter(case__in=cases, name__in=Function.values).exclude(
        task__status=STATUS.CANCELED
    )
    return _grid_rows(tasks, "case", F("name"), today)


def referral_rows(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Any]:
    """Referrals that were taken up (accepted, then done), by the kind of the directory contact,
    or ``network_member`` for a member of the support network with an account."""
    referrals = Referral.objects.filter(
        case__in=cases, status__in=[Referral.Status.ACCEPTED, Referral.Status.DONE]
    )
    kind = models.Case(
        When(to_contact__isnull=False, then=F("to_contact__kind")),
        default=Value("network_member"),
        output_field=CharField(),
    )
    return _grid_rows(referrals, "case", kind, today)


def opportunity_rows(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Any]:
    """Participations proposed from the case that the student took up (confirmed, under way or
    completed), by the kind of opportunity; proposed, selected or withdrawn ones are not."""
    taken = Participation.objects.filter(case__in=cases, status__in=PLACE_TAKING)
    return _grid_rows(taken, "case", F("opportunity__kind"), today)


SOURCES: dict[str, Source] = {
    "function": function_rows,
    "referral": referral_rows,
    "opportunity": opportunity_rows,
}


def effectiveness(
    school: School, period: Period, today: datetime.date | None = None
) -> dict[str, Any]:
    today = today or timezone.localdate()
    cases = cases_flagged(school, period)
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for source, rows in SOURCES.items():
        for row in rows(cases, today):
            key = (f"{source}:{row['intervention']}", row["risk_level"])
            counts = cells.setdefault(key, dict.fromkeys(OUTCOMES, 0))
            counts[row["outcome"]] += row["n"]
    return {
        "from": period.since.isoformat(),
        "to": period.until.isoformat(),
        "horizon_months": EFFECT_MONTHS,
        "min_students": MIN_CELL,
        "cells": [_cell(key, counts) for key, counts in sorted(cells.items())],
    }


def _cell(key: tuple[str, str], counts: dict[str, int]) -> dict[str, Any]:
    intervention, risk_level = key
    students = sum(counts.values())
    if students < MIN_CELL:
        return {"intervention": intervention, "risk_level": risk_level, "suppressed": True}
    return {
        "intervention": intervention,
        "risk_level": risk_level,
        "suppressed": False,
        "students": students,
        "retained": counts["retained"],
        "dropped": counts["dropped_out"],
        "left": counts["transferred"] + counts["graduated"],
        "pending": counts["pending"],
    }
