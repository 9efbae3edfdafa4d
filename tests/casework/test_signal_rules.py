"""The rules every signal obeys, whichever way it comes in (API, file, instrument)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from casework import dates
from casework.errors import Invalid
from casework.services.signals import clean_signal

TODAY = datetime.date(2025, 3, 10)


def _clean(**fields: Any) -> Any:
    body: dict[str, Any] = {"kind": "attendance", "value": 90, "observed_on": "2025-03-01"}
    body.update(fields)
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, 0), tick=False):
        return clean_signal(**body)


def _refused(**fields: Any) -> dict[str, list[str]]:
    with pytest.raises(Invalid) as caught:
        _clean(**fields)
    return caught.value.fields


@pytest.mark.parametrize("value", [0, 100, "87.5", "87,5", 99.99])
def test_it_accepts_attendance_from_0_to_100(value: Any) -> None:
    assert 0 <= _clean(value=value).value <= 100


@pytest.mark.parametrize("value", [-0.01, 100.01, 101, "n/a", "", True])
def test_it_refuses_attendance_outside_0_to_100(value: Any) -> None:
    assert set(_refused(value=value)) == {"value"}


def test_it_rounds_a_computed_percentage_to_two_decimals() -> None:
    assert _clean(value=87.33333333).value == Decimal("87.33")


@pytest.mark.parametrize("kind", ["grade_failures", "behaviour"])
@pytest.mark.parametrize("value", [0, 3, "3", 3.0, "1000"])
def test_it_accepts_counts_that_are_whole_and_not_negative(kind: str, value: Any) -> None:
    assert _clean(kind=kind, value=value).value == Decimal(str(value)).quantize(Decimal(1))


@pytest.mark.parametrize("kind", ["grade_failures", "behaviour"])
@pytest.mark.parametrize("value", [-1, 1.5, "2.5", "1001", "many"])
def test_it_refuses_counts_that_are_negative_or_fractional(kind: str, value: Any) -> None:
    messages = _refused(kind=kind, value=value)
    assert list(messages) == ["value"]


@pytest.mark.parametrize("value", [0, 100, 42.5])
def test_it_accepts_a_self_assessment_score_from_0_to_100(value: Any) -> None:
    assert _clean(kind="self_assessment", value=value).value == Decimal(str(value))


@pytest.mark.parametrize("value", [-1, 100.5])
def test_it_refuses_a_self_assessment_score_outside_0_to_100(value: Any) -> None:
    assert list(_refused(kind="self_assessment", value=value)) == ["value"]


def test_it_keeps_an_observation_as_text() -> None:
    clean = _clean(kind="observation", value="  Came late, seemed upset.  ")
    assert (clean.value, clean.text) == (None, "Came late, seemed upset.")


@pytest.mark.parametrize("value", ["", "   ", 12, "x" * 4001])
def test_it_refuses_an_observation_without_text(value: Any) -> None:
    assert list(_refused(kind="observation", value=value)) == ["value"]


@pytest.mark.parametrize("kind", ["", "absence", "Attendance!", None])
def test_it_refuses_unknown_kinds_naming_the_known_ones(kind: Any) -> None:
    messages = _refused(kind=kind)
    assert list(messages) == ["kind"]
    assert (
        "attendance, grade_failures, behaviour, self_assessment, observation" in messages["kind"][0]
    )


def test_it_accepts_kinds_in_any_case() -> None:
    assert _clean(kind=" Behaviour ", value=1).kind == "behaviour"


def test_it_accepts_today_and_refuses_tomorrow() -> None:
    assert _clean(observed_on="2025-03-10").observed_on == TODAY
    messages = _refused(observed_on="2025-03-11")
    assert list(messages) == ["observed_on"]
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, 0), tick=False):
        assert messages["observed_on"] == [dates.window_error("observed_on", TODAY.replace(day=11))]


@pytest.mark.parametrize("raw", ["10.03.2025", "2025-03-10", datetime.date(2025, 3, 10)])
def test_it_reads_iso_and_romanian_dates(raw: Any) -> None:
    assert _clean(observed_on=raw).observed_on == TODAY


@pytest.mark.parametrize("raw", ["2025-02-30", "March 1", "", "31.13.2024"])
def test_it_refuses_what_is_not_a_date(raw: str) -> None:
    assert list(_refused(observed_on=raw)) == ["observed_on"]


def test_it_names_every_bad_field_at_once() -> None:
    messages = _refused(kind="attendance", value=120, observed_on="2030-01-01", note="x" * 2001)
    assert set(messages) == {"value", "observed_on", "note"}


def test_it_indexes_signals_by_student_only_through_the_composite_indexes(db: None) -> None:
    """Every index on signals that begins with the student goes on to the date: a student-only
    index would be a redundant copy of their first column, paid for on every insert."""
    from django.db import connection

    from casework.models import Signal

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Signal._meta.db_table)
    by_student = [c["columns"] for c in constraints.values() if c["index"] and c["columns"]]
    by_student = [columns for columns in by_student if columns[0] == "student_id"]
    assert by_student and all(len(columns) > 1 for columns in by_student)
