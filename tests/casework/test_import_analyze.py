"""After an import that changed rows, PostgreSQL's planner statistics of the tables it wrote
are refreshed (``ANALYZE``) once the import has committed: a bulk import outruns autovacuum,
and a stale estimate turned a queue query into a scan of thousands of rows."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.services.imports import signals_import, students_import
from tests.casework.monitoring_helpers import csv_bytes
from tests.conftest import requires_postgres
from tests.factories import World, make_student

DAY = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()


def _analyzed(run: Callable[[], Any], capture: Any) -> list[str]:
    """The ANALYZE statements run by ``run``, including its on-commit callbacks."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        run()
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('ANALYZE "casework_')]


def _signals(world: World, value: int) -> Callable[[], Any]:
    rows: list[list[Any]] = [
        ["student_code", "kind", "value", "observed_on"],
        ["A-1", "attendance", value, DAY],
    ]
    return lambda: signals_import(school=world.school, file=io.BytesIO(csv_bytes(rows)))


@requires_postgres
@pytest.mark.postgres
def test_it_analyzes_the_signal_and_risk_tables_after_a_signal_import(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    make_student(world.school, code="A-1")
    assert _analyzed(_signals(world, 80), django_capture_on_commit_callbacks) == [
        'ANALYZE "casework_signal"',
        'ANALYZE "casework_studentrisk"',
    ]
    # The same file again changes nothing: nothing to analyze.
    assert _analyzed(_signals(world, 80), django_capture_on_commit_callbacks) == []


@requires_postgres
@pytest.mark.postgres
def test_it_analyzes_the_student_table_after_a_student_import(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [
        ["code", "first_name", "last_name", "class_name", "programme"],
        ["B-1", "Ana", "Pop", "9A", "Electrician"],
    ]

    def run() -> Any:
        return students_import(school=world.school, file=io.BytesIO(csv_bytes(rows)))

    assert _analyzed(run, django_capture_on_commit_callbacks) == ['ANALYZE "casework_student"']


def test_it_leaves_sqlite_alone(world: World, django_capture_on_commit_callbacks: Any) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the embedded default only")
    make_student(world.school, code="A-1")
    assert _analyzed(_signals(world, 80), django_capture_on_commit_callbacks) == []
