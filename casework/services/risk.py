"""Computing and storing students' risk: the database side of ``casework.risk``.

``risk_refresh`` recomputes the stored assessment of many students in bulk — one query for the
signals of up to a thousand students at a time, one upsert for their results — so a school of
10,000 students is recomputed in seconds. ``risk_assess`` computes one student fresh, for reading.
"""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.models import Instrument, RiskPolicy, Signal, SignalKind, Student, StudentRisk
from casework.models.risk import LEVEL_RANK, RiskLevel
from casework.risk import WEEK, Assessment, Cutoffs, Row, Thresholds, evaluate

CHUNK = 1000
_STORED = [
    "level",
    "level_rank",
    "previous_level",
    "worsened",
    "high_count",
    "caution_count",
    "indicators",
    "as_of",
    "computed_at",
]


def thresholds_for(school_id: int) -> Thresholds:
    return Thresholds.of(RiskPolicy.objects.filter(school_id=school_id).first())


def instrument_cutoffs() -> dict[int, Cutoffs]:
    """Cut-offs of every instrument whose score becomes a signal (a handful of rows)."""
    return {
        pk: Cutoffs(code, name, risk_when, caution, high)
        for pk, code, name, risk_when, caution, high in Instrument.objects.filter(
            kind=Instrument.Kind.SELF_ASSESSMENT
        ).values_list("pk", "code", "name", "risk_when", "caution_cutoff", "high_cutoff")
    }


def _signal_rows(
    student_ids: list[int], *, as_of: datetime.date, window_days: int
) -> Iterator[tuple[int, list[Row]]]:
    """``(student id, rows)`` for each student with signals in the window, in id order.

    Memory holds one chunk's signals in the window (``CHUNK`` students), whatever the size of
    the school or of its history. The ORM writes the query; the rows come straight from the
    driver, turned into ``Row``s a batch at a time (the ORM's row iterator cost more than the
    risk rules themselves: docs/PERFORMANCE.md, county rehearsal)."""
    since = as_of - WEEK - datetime.timedelta(days=window_days)
    found = (
        Signal.objects.filter(
            student_id__in=student_ids, observed_on__gt=since, observed_on__lte=as_of
        )
        .exclude(kind=SignalKind.OBSERVATION)
        .order_by("student_id", "observed_on", "id")
        .values_list("student_id", "kind", "value", "observed_on", "instrument_id")
    )
    if connection.vendor != "postgresql":
        # Only psycopg hands back Decimal and date as the fields hold them; SQLite's driver
        # gives numbers and text, which the ORM's converters turn back.
        yield from _grouped(found.iterator(chunk_size=5000))
        return
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        batches = iter(lambda: cursor.fetchmany(5000), [])
        yield from _grouped(itertools.chain.from_iterable(batches))


def _grouped(rows: Iterable[Any]) -> Iterator[tuple[int, list[Row]]]:
    for student_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        # Measured kinds always have a value (a database constraint); observations are left out.
        yield student_id, [Row(k, v, d, i) for _, k, v, d, i in group if v is not None]


def risk_assess(student: Student, *, as_of: datetime.date | None = None) -> Assessment:
    as_of = as_of or timezone.localdate()
    thresholds = thresholds_for(student.school_id)
    found = _signal_rows([student.pk], as_of=as_of, window_days=thresholds.window_days)
    return evaluate(
        next(found, (student.pk, []))[1],
        as_of=as_of,
        thresholds=thresholds,
        instruments=instrument_cutoffs(),
    )


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def risk_refresh(students: QuerySet[Student], *, as_of: datetime.date | None = None) -> int:
    """Recompute and store the risk of ``students``; returns how many."""
    as_of = as_of or timezone.localdate()
    instruments = instrument_cutoffs()
    done = 0
    for school, ids in _ids_by_school(students):
        thresholds = thresholds_for(school)
        for chunk in _chunks(ids):
            done += _refresh_chunk(chunk, as_of, thresholds, instruments)
    return done


def _ids_by_school(students: QuerySet[Student]) -> Iterator[tuple[int, list[int]]]:
    pairs = list(students.order_by("school_id", "pk").values_list("school_id", "pk"))
    for school, group in itertools.groupby(pairs, key=lambda p: p[0]):
        yield school, [pk for _, pk in group]


def _refresh_chunk(
    ids: list[int], as_of: datetime.date, thresholds: Thresholds, instruments: dict[int, Cutoffs]
) -> int:
    """``ids`` in ascending order, as the signals come."""
    found = _signal_rows(ids, as_of=as_of, window_days=thresholds.window_days)
    pending = next(found, None)
    now = timezone.now()
    results: list[StudentRisk] = []
    for pk in ids:
        rows: list[Row] = []
        if pending is not None and pending[0] == pk:
            rows = pending[1]
            pending = next(found, None)
        assessment = evaluate(rows, as_of=as_of, thresholds=thresholds, instruments=instruments)
        results.append(
            StudentRisk(
                student_id=pk,
                level=assessment.level,
                level_rank=LEVEL_RANK[assessment.level],
                previous_level=assessment.previous_level,
                worsened=assessment.worsened,
                high_count=assessment.count(RiskLevel.HIGH),
                caution_count=assessment.count(RiskLevel.CAUTION),
                indicators=assessment.indicators,
                as_of=as_of,
                computed_at=now,
            )
        )
    _store(results)
    return len(results)


def _store(results: list[StudentRisk]) -> None:
    """Upsert the chunk's assessments.

    On PostgreSQL through ``COPY`` into a temporary table and one ``INSERT … ON CONFLICT``:
    ``bulk_create`` sends the rows as arrays (``UNNEST``) that the driver quotes in Python,
    character by character for the indicators' JSON, which took half of the nightly recompute.
    """
    if connection.vendor != "postgresql":
        StudentRisk.objects.bulk_create(
            results, update_conflicts=True, unique_fields=["student"], update_fields=_STORED
        )
        return
    columns = ["student_id", *_STORED]  # no foreign key among them: columns are named so
    names = ", ".join(columns)
    table = StudentRisk._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped again below: a request's refresh of more than a chunk runs in one
        # transaction, and the next chunk creates it anew.
        cursor.execute(
            f"CREATE TEMPORARY TABLE risk_incoming AS SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY risk_incoming ({names}) FROM STDIN") as copy:
            for risk in results:
                copy.write_row(_stored_row(risk))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:])
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM risk_incoming "
            f"ON CONFLICT (student_id) DO UPDATE SET {updates}"
        )
        cursor.execute("DROP TABLE risk_incoming")


def _stored_row(risk: StudentRisk) -> list[Any]:
    return [
        risk.student_id,
        *(getattr(getattr(risk, name), "value", getattr(risk, name)) for name in _STORED[:6]),
        json.dumps(risk.indicators, cls=StudentRisk._meta.get_field("indicators").encoder),
        risk.as_of,
        risk.computed_at,
    ]


def stale_q(school_ids: Iterable[int]) -> Q:
    """Students whose stored risk is missing, from an earlier day, or older than the school's
    thresholds — what a list refreshes before it sorts by risk."""
    q = Q(risk__isnull=True) | Q(risk__as_of__lt=timezone.localdate())
    for school_id, updated_at in RiskPolicy.objects.filter(school_id__in=school_ids).values_list(
        "school_id", "updated_at"
    ):
        q |= Q(school_id=school_id, risk__computed_at__lt=updated_at)
    return q


def risk_refresh_stale(students: QuerySet[Student]) -> int:
    # No ordering: the model's (names, id) would join the DISTINCT and sort every student.
    school_ids = set(students.order_by().values_list("school_id", flat=True).distinct())
    return risk_refresh(students.filter(stale_q(school_ids)))
