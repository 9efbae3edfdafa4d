"""Importing signals (see the package for the rules every import keeps)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework import policies, stored_text
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ImportRun,
    School,
    Signal,
    SignalKind,
    SignalSource,
    Student,
    StudentRisk,
    User,
)
from casework.models.case import OPEN_STAGES
from casework.models.signals import text_key
from casework.services.audit import audit_record
from casework.services.imports.common import (
    BATCH,
    SIGNAL_COLUMNS,
    SIGNAL_OPTIONAL,
    ImportRefused,
    _cell,
    _check_size,
    _sha256,
    _summary,
    _table,
    _text,
)
from casework.services.maintenance import analyze_after_commit
from casework.services.risk import risk_refresh
from casework.services.signals import clean_kind, clean_note, clean_observed_on, clean_value
from casework.tabular import (
    Problem,
    Problems,
    Table,
)

# -- signals --------------------------------------------------------------------------------------

StageRow = tuple[int, int, str, Any, str, str, str, datetime.date]


def _signal_rows(
    table: Table, problems: Problems, codes: dict[str, int], school: School
) -> Iterator[StageRow]:
    for line, values in table.rows():
        before = problems.total
        ok, code = _cell(problems, line, "student_code", _text(40), values["student_code"])
        student_id = codes.get(code) if ok else None
        if ok and student_id is None:
            problems.add(
                Problem(
                    line,
                    "student_code",
                    gettext("no student with code '%(code)s' in %(school)s")
                    % {"code": code, "school": school.code},
                )
            )
        ok, kind = _cell(problems, line, "kind", clean_kind, values["kind"])
        value = text = None
        if ok:
            _cleaned_line, cleaned = _cell(
                problems, line, "value", clean_value, kind, values["value"]
            )
            if cleaned is not None:
                value, text = cleaned
        _observed_line, observed_on = _cell(
            problems, line, "observed_on", clean_observed_on, values["observed_on"]
        )
        _note_line, note = _cell(problems, line, "note", clean_note, values.get("note"))
        if problems.total == before and student_id is not None and observed_on is not None:
            yield (
                line,
                student_id,
                kind,
                value,
                text or "",
                text_key(text or ""),
                note,
                observed_on,
            )


class _Stage:
    """The file's clean rows in a temporary table, so the database does the set work."""

    NAME = "signal_import_stage"
    COLUMNS = "line, student_id, kind, value, text, text_key, note, observed_on"

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        schema = "pg_temp" if self.postgres else "temp"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{self.NAME}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.NAME} (line integer NOT NULL, "
                "student_id bigint NOT NULL, kind varchar(20) NOT NULL, value numeric(7, 2), "
                "text text NOT NULL, text_key varchar(40) NOT NULL, note text NOT NULL, "
                "observed_on date NOT NULL)"
            )

    def load(self, rows: Iterator[StageRow]) -> int:
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.NAME} ({self.COLUMNS}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                cursor.execute(f"ANALYZE {self.NAME}")
                return count
            sql = (
                f"INSERT INTO {self.NAME} ({self.COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            )
            batch: list[StageRow] = []
            for row in rows:
                batch.append(row)
                count += 1
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        return count

    def duplicates(self, problems: Problems) -> None:
        """Rows that repeat an earlier row's natural key: which value would be right? Only as
        many are fetched as can be listed; the rest are counted."""
        keyed = (
            "SELECT line, first_line, kind FROM (SELECT line, kind, MIN(line) OVER "
            "(PARTITION BY student_id, kind, observed_on, text_key) AS first_line "
            f"FROM {self.NAME}) AS keyed WHERE line <> first_line"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"{keyed} ORDER BY line LIMIT %s", [problems.limit])
            listed = cursor.fetchall()
            cursor.execute(f"SELECT COUNT(*) FROM ({keyed}) AS repeated")
            (total,) = cursor.fetchone() or (0,)
        problems.extend(
            Problem(
                line,
                "observed_on",
                gettext("line %(first)s already gives this student's %(kind)s for this date")
                % {"first": first, "kind": kind},
            )
            for line, first, kind in listed
        )
        # The rest sort after the hundred fetched, so they could never be listed: count them.
        problems.count_unlisted(total - len(listed))

    def merge(self, run: ImportRun, actor_id: int | None, at: datetime.datetime) -> None:
        """Insert new signals and update changed ones; leave identical ones alone."""
        table = Signal._meta.db_table
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        stamp = connection.ops.adapt_datetimefield_value(at)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (student_id, kind, value, text, text_key, note, observed_on, "
                "source, recorded_by_id, instrument_id, import_run_id, case_id, created_at, "
                "updated_at) "
                "SELECT student_id, kind, value, text, text_key, note, observed_on, "
                f"%s, %s, NULL, %s, NULL, %s, %s FROM {self.NAME} WHERE true "
                "ON CONFLICT (student_id, kind, observed_on, text_key) DO UPDATE SET "
                "value = excluded.value, note = excluded.note, source = excluded.source, "
                "recorded_by_id = excluded.recorded_by_id, instrument_id = NULL, "
                "import_run_id = excluded.import_run_id, updated_at = excluded.updated_at "
                f"WHERE {table}.value {distinct} excluded.value OR {table}.note <> excluded.note",
                [SignalSource.IMPORT, actor_id, run.pk, stamp, stamp],
            )
            cursor.execute(f"DROP TABLE {self.NAME}")


def signals_import(
    *, school: School, file: IO[bytes], filename: str = "", actor: User | None = None
) -> ImportRun:
    """Record the signals of a file; ``actor`` None is the command line."""
    if actor is not None:
        policies.require_import_signals(actor, school)
    _check_size(file)
    sha256 = _sha256(file)
    codes = dict(Student.objects.filter(school=school).values_list("code", "pk"))
    problems = Problems()
    table = _table(file, problems, SIGNAL_COLUMNS, SIGNAL_OPTIONAL)
    started = timezone.now()
    with transaction.atomic():
        stage = _Stage()
        rows = stage.load(_signal_rows(table, problems, codes, school))
        stage.duplicates(problems)
        if problems:
            # Raising inside the transaction rolls back the temporary table with everything else.
            raise ImportRefused(problems)
        run = ImportRun.objects.create(
            school=school,
            kind=ImportRun.Kind.SIGNALS,
            filename=filename[:255],
            sha256=sha256,
            rows=rows,
            actor=actor,
            started_at=started,
        )
        stage.merge(run, getattr(actor, "pk", None), started)
        touched = Signal.objects.filter(import_run=run)
        run.created = touched.filter(created_at=started).count()
        run.updated = touched.count() - run.created
        run.unchanged = rows - run.created - run.updated
        _attach_to_open_cases(run, actor)
        risk_refresh(
            Student.objects.filter(
                pk__in=touched.exclude(kind=SignalKind.OBSERVATION).values("student_id")
            )
        )
        run.finished_at = timezone.now()
        run.save()
        audit_record(actor=actor, action=AuditEvent.Action.IMPORT, obj=run, data=_summary(run))
        if run.created or run.updated:
            analyze_after_commit(Signal, StudentRisk)
    return run


def _attach_to_open_cases(run: ImportRun, actor: User | None) -> None:
    """New or changed signals of a student with an open case join that case's timeline: one
    timeline line per case and file, listing the signals, rather than one per row."""
    open_cases = dict(
        Case.objects.filter(stage__in=OPEN_STAGES, student__signals__import_run=run)
        .values_list("student_id", "pk")
        .distinct()
    )
    events = []
    for student_id, case_id in open_cases.items():
        signals = Signal.objects.filter(import_run=run, student_id=student_id)
        ids = list(signals.order_by("observed_on", "kind", "pk").values_list("pk", flat=True))
        signals.update(case_id=case_id)
        events.append(
            CaseEvent(
                case_id=case_id,
                kind=CaseEvent.Kind.SIGNAL,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                name="signals_imported",
                note=stored_text.signals_imported(len(ids), run.filename),
                data={"import": run.pk, "signals": ids},
            )
        )
    CaseEvent.objects.bulk_create(events)
