"""The risk rules at their boundaries, the trend against a week ago, and the words for them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from casework.risk import (
    Cutoffs,
    Row,
    Thresholds,
    changes,
    evaluate,
    flag_suggestion,
    reasons,
)

TODAY = datetime.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _row(kind: str, value: Any, days_ago: int = 0, instrument: int | None = None) -> Row:
    return Row(kind, Decimal(str(value)), TODAY - datetime.timedelta(days=days_ago), instrument)


def _assess(*rows: Row, thresholds: Thresholds | None = None, **instruments: Cutoffs) -> Any:
    return evaluate(
        sorted(rows, key=lambda r: r.observed_on),
        as_of=TODAY,
        thresholds=thresholds or Thresholds(),
        instruments={int(k[1:]): v for k, v in instruments.items()},
    )


def _indicator(assessment: Any, name: str) -> dict[str, Any]:
    return next(i for i in assessment.indicators if i["name"] == name)


@pytest.mark.parametrize(
    "value,level",
    [
        (100, "none"),
        (95, "none"),
        (94.99, "caution"),
        (90, "caution"),
        (89.99, "high"),
        (0, "high"),
    ],
)
def test_it_grades_attendance_at_95_and_90_percent(value: float, level: str) -> None:
    assessment = _assess(_row("attendance", value))
    assert _indicator(assessment, "attendance")["level"] == level
    assert assessment.level == level


@pytest.mark.parametrize("value,level", [(0, "none"), (1, "high"), (4, "high")])
def test_it_calls_one_failed_course_high_risk(value: int, level: str) -> None:
    assert _assess(_row("grade_failures", value)).level == level


def test_it_lets_a_school_add_a_caution_level_for_failures() -> None:
    thresholds = Thresholds(failures_caution_at_least=1, failures_high_at_least=2)
    assert _assess(_row("grade_failures", 1), thresholds=thresholds).level == "caution"
    assert _assess(_row("grade_failures", 2), thresholds=thresholds).level == "high"


@pytest.mark.parametrize(
    "counts,level", [([1], "none"), ([1, 1], "caution"), ([2, 3], "caution"), ([3, 3], "high")]
)
def test_it_adds_up_behaviour_incidents_to_2_and_6(counts: list[int], level: str) -> None:
    rows = [_row("behaviour", n, days_ago=10 * i) for i, n in enumerate(counts)]
    indicator = _indicator(_assess(*rows), "behaviour")
    assert (indicator["value"], indicator["level"]) == (sum(counts), level)


def test_it_counts_behaviour_only_inside_the_window() -> None:
    thresholds = Thresholds(window_days=30)
    rows = [_row("behaviour", 5, days_ago=30), _row("behaviour", 1, days_ago=29)]
    assert _indicator(_assess(*rows, thresholds=thresholds), "behaviour")["value"] == 1


def test_it_forgets_attendance_older_than_the_window() -> None:
    assessment = _assess(_row("attendance", 50, days_ago=365))
    assert _indicator(assessment, "attendance")["value"] is None
    assert assessment.level == "none"


@pytest.mark.parametrize(
    "value,level", [(60, "none"), (59.9, "caution"), (40, "caution"), (39.9, "high")]
)
def test_it_grades_a_score_without_instrument_on_the_schools_cut_offs(
    value: float, level: str
) -> None:
    assert _assess(_row("self_assessment", value)).level == level


def test_it_grades_an_instruments_score_on_its_own_cut_offs() -> None:
    strict = Cutoffs("strict", "Strict", "below", Decimal(80), Decimal(70))
    assert _assess(_row("self_assessment", 75, instrument=7), i7=strict).level == "caution"
    assert _assess(_row("self_assessment", 69, instrument=7), i7=strict).level == "high"


def test_it_reads_an_instrument_where_a_high_score_is_the_risk() -> None:
    stress = Cutoffs("stress", "Stress scale", "above", Decimal(50), Decimal(75))
    assessment = _assess(_row("self_assessment", 80, instrument=3), i3=stress)
    indicator = _indicator(assessment, "self_assessment")
    assert indicator["level"] == "high"
    assert indicator["thresholds"] == {"caution_above": 50, "high_above": 75}
    assert reasons(assessment.indicators) == [
        "Self-assessment score 80 on 03/10/2025 (Stress scale) is above the cut-off 75: high risk."
    ]


def test_it_takes_the_latest_value_and_the_highest_level() -> None:
    assessment = _assess(
        _row("attendance", 80, days_ago=20),
        _row("attendance", 96, days_ago=1),
        _row("behaviour", 2, days_ago=3),
    )
    assert _indicator(assessment, "attendance")["value"] == 96
    assert assessment.level == "caution"
    assert (assessment.count("high"), assessment.count("caution")) == (0, 1)


def test_it_compares_each_indicator_with_a_week_ago() -> None:
    assessment = _assess(
        _row("attendance", 96, days_ago=14),
        _row("attendance", 88, days_ago=2),
        _row("grade_failures", 2, days_ago=30),
        _row("grade_failures", 1, days_ago=1),
        _row("behaviour", 1, days_ago=3),
    )
    trends = {i["name"]: (i["previous"], i["trend"]) for i in assessment.indicators}
    assert trends == {
        "attendance": (96, "worse"),
        "grade_failures": (2, "better"),
        "behaviour": (None, "new"),
        "self_assessment": (None, None),
    }
    assert (assessment.previous_level, assessment.level, assessment.worsened) == (
        "high",
        "high",
        True,
    )


def test_it_words_the_reasons_highest_level_first() -> None:
    assessment = _assess(
        _row("behaviour", 2, days_ago=5),
        _row("attendance", 87.5, days_ago=2),
        _row("grade_failures", 2, days_ago=1),
        _row("self_assessment", 55, days_ago=1),
    )
    assert reasons(assessment.indicators) == [
        "Chronic absence: attendance 87.5% on 03/08/2025, below 90%.",
        "Failing 2 courses as of 03/09/2025 (1 or more: high risk).",
        "2 behaviour incidents in the last 365 days (2 or more: caution).",
        "Self-assessment score 55 on 03/09/2025 (recorded score) is below the cut-off 60: caution.",
    ]


def test_it_words_a_caution_on_attendance_and_a_single_failure() -> None:
    assessment = _assess(_row("attendance", 93), _row("grade_failures", 1))
    assert reasons(assessment.indicators) == [
        "Failing 1 course as of 03/10/2025 (1 or more: high risk).",
        "Attendance 93% on 03/10/2025 is below 95%: at risk of chronic absence.",
    ]


def test_it_gives_no_reason_when_nothing_is_wrong() -> None:
    assessment = _assess(_row("attendance", 99), _row("behaviour", 1))
    assert assessment.level == "none"
    assert reasons(assessment.indicators) == []
    assert flag_suggestion(assessment.indicators) is None


def test_it_says_what_changed_since_last_week() -> None:
    assessment = _assess(
        _row("attendance", 96, days_ago=14),
        _row("attendance", 88, days_ago=2),
        _row("behaviour", 1, days_ago=3),
        _row("grade_failures", 0, days_ago=20),
    )
    assert changes(assessment.level, assessment.previous_level, assessment.indicators) == [
        "Risk rose from no risk to high risk since last week.",
        "Attendance: 96% a week ago, 88% now.",
        "Behaviour incidents: 1, first recorded this week.",
    ]


def test_it_suggests_a_flag_with_the_reasons_and_functions() -> None:
    assessment = _assess(_row("attendance", 85), _row("grade_failures", 1))
    suggestion = flag_suggestion(assessment.indicators)
    assert suggestion is not None
    assert suggestion["functions"] == ["information", "pedagogical"]
    assert suggestion["reason"].startswith("Chronic absence: attendance 85%")
    only_absence = flag_suggestion(_assess(_row("attendance", 85)).indicators)
    assert only_absence is not None and only_absence["functions"] == ["pedagogical"]


def test_it_uses_a_schools_own_thresholds() -> None:
    lenient = Thresholds(attendance_caution_below=Decimal(85), attendance_high_below=Decimal(80))
    assessment = _assess(_row("attendance", 84), thresholds=lenient)
    assert assessment.level == "caution"
    assert _indicator(assessment, "attendance")["thresholds"] == {
        "caution_below": 85,
        "high_below": 80,
    }
