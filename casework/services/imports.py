"""Importing students and signals from CSV or XLSX files: all or nothing, idempotent, streamed.

A file with any bad row is refused whole; the first hundred problems are listed (``line N,
column C: message``, the header being line 1) with the count of all. A file over the size limit
(``IMPORT_MAX_BYTES``) is refused before it is read. Importing the same file again changes
nothing: students are matched by their code in the school, signals by their natural key
(student, kind, date observed).

Memory stays flat with the size of the file: rows are read one at a time and never all held.

* Students are validated in a first pass over the file, then written in batches of a thousand in
  a second pass, inside one transaction. What is kept between rows is the set of codes seen (to
  refuse a code given twice), which is bounded by the size of the school, not of the file.
* Signals are validated row by row and streamed into a temporary table (COPY on PostgreSQL), in
  the transaction that then lets the database find duplicates within the file and merge the rows
  into the signals table with one ``INSERT ... ON CONFLICT``. Only rows that are new or changed are
  written, which is what makes a re-import a no-op and tells us which signals an open case's
  timeline should receive.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework import policies
from casework.context import get_request_id
from casework.dates import clean_within
from casework.errors import Invalid
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
from casework.services.maintenance import analyze_after_commit
from casework.services.risk import risk_refresh
from casework.services.signals import clean_kind, clean_note, clean_observed_on, clean_value
from casework.tabular import (
    CellError,
    Problem,
    Problems,
    Table,
    megabytes,
    parse_date,
    parse_text,
)

STUDENT_COLUMNS = ("code", "first_name", "last_name", "class_name", "programme")
STUDENT_OPTIONAL = ("birth_date",)
SIGNAL_COLUMNS = ("student_code", "kind", "value", "observed_on")
SIGNAL_OPTIONAL = ("note",)
BATCH = 1000


class ImportRefused(Invalid):
    """The file has bad rows; nothing was written. ``problems`` are the first of them (by line),
    ``total`` how many there are in all."""

    def __init__(self, problems: Problems) -> None:
        self.problems = list(problems)
        self.total = problems.total
        self.lines = [str(p) for p in self.problems]
        if problems.unlisted:
            self.lines.append(
                gettext(
                    "... and %(more)s more problem(s), %(total)s in all; fix these and import "
                    "the file again to see the rest."
                )
                % {"more": f"{problems.unlisted:,}", "total": f"{problems.total:,}"}
            )
        super().__init__({"file": self.lines})


def _check_size(file: IO[bytes]) -> None:
    """A 400 naming the limit, before anything is read (the upload itself is on disk already:
    Django streams large uploads to a temporary file, so the request's memory stays flat)."""
    size = file.seek(0, 2)
    file.seek(0)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise Invalid(
            {
                "file": gettext(
                    "The file is %(size)s; files of up to %(limit)s are imported. Split it into "
                    "smaller files."
                )
                % {"size": megabytes(size), "limit": megabytes(limit)}
            }
        )


def _table(
    file: IO[bytes], problems: Problems, columns: tuple[str, ...], optional: tuple[str, ...]
) -> Table:
    return Table(
        file,
        required=columns,
        optional=optional,
        problems=problems,
        max_unpacked=settings.IMPORT_MAX_UNPACKED_BYTES,
    )


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _cell(
    problems: Problems, line: int, column: str, parse: Callable[..., Any], *args: Any
) -> tuple[bool, Any]:
    """``parse(*args)``, with its complaint recorded against the line and column."""
    try:
        return True, parse(*args)
    except CellError as exc:
        problems.add(Problem(line, column, str(exc)))
        return False, None


def _text(limit: int) -> Callable[[Any], str]:
    return lambda raw: parse_text(raw, max_length=limit)


# -- students -------------------------------------------------------------------------------------


def _student_rows(table: Table, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    """Clean student rows; every problem goes to ``problems``, bad rows are not yielded."""
    seen: dict[str, int] = {}
    limits = {"code": 40, "first_name": 100, "last_name": 100, "class_name": 40, "programme": 200}
    for line, values in table.rows():
        clean: dict[str, Any] = {}
        good = True
        for name, limit in limits.items():
            ok, clean[name] = _cell(problems, line, name, _text(limit), values[name])
            good &= ok
        clean["birth_date"] = None
        if values.get("birth_date") not in (None, ""):
            ok, clean["birth_date"] = _cell(
                problems, line, "birth_date", _birth_date, values["birth_date"]
            )
            good &= ok
        code = clean["code"]
        if code:
            if code in seen:
                problems.add(Problem(line, "code", f"{code!r} is already on line {seen[code]}"))
                good = False
            else:
                seen[code] = line
        if good:
            yield line, clean


def _birth_date(raw: Any) -> datetime.date:
    return clean_within("birth_date", parse_date(raw))


def students_import(
    *, school: School, file: IO[bytes], filename: str = "", actor: User | None = None
) -> ImportRun:
    """Register or update the school's students from a file; ``actor`` None is the command line."""
    if actor is not None:
        policies.require_import_students(actor, school)
    _check_size(file)
    sha256 = _sha256(file)
    problems = Problems()
    table = _table(file, problems, STUDENT_COLUMNS, STUDENT_OPTIONAL)
    rows = sum(1 for _row in _student_rows(table, problems))
    if problems:
        raise ImportRefused(problems)
    file.seek(0)
    table = _table(file, problems, STUDENT_COLUMNS, STUDENT_OPTIONAL)
    with transaction.atomic():
        run = ImportRun.objects.create(
            school=school,
            kind=ImportRun.Kind.STUDENTS,
            filename=filename[:255],
            sha256=sha256,
            rows=rows,
            actor=actor,
        )
        batch: list[dict[str, Any]] = []
        for _line, clean in _student_rows(table, problems):
            batch.append(clean)
            if len(batch) == BATCH:
                _write_students(run, batch, actor)
                batch = []
        _write_students(run, batch, actor)
        run.unchanged = rows - run.created - run.updated
        run.finished_at = timezone.now()
        run.save()
        audit_record(actor=actor, action=AuditEvent.Action.IMPORT, obj=run, data=_summary(run))
        if run.created or run.updated:
            analyze_after_commit(Student)
    return run


_STUDENT_FIELDS = ("first_name", "last_name", "class_name", "programme", "birth_date")


def _write_students(run: ImportRun, batch: list[dict[str, Any]], actor: User | None) -> None:
    if not batch:
        return
    existing = {
        s.code: s
        for s in Student.objects.filter(school=run.school, code__in=[r["code"] for r in batch])
    }
    new, changed = [], []
    for row in batch:
        student = existing.get(row["code"])
        if student is None:
            new.append(Student(school=run.school, **row))
        elif any(getattr(student, f) != row[f] for f in _STUDENT_FIELDS):
            for name in _STUDENT_FIELDS:
                setattr(student, name, row[name])
            changed.append(student)
    Student.objects.bulk_create(new)
    Student.objects.bulk_update(changed, _STUDENT_FIELDS)
    if new and new[0].pk is None:  # backends that do not return ids from a bulk insert
        new = list(Student.objects.filter(school=run.school, code__in=[s.code for s in new]))
    run.created += len(new)
    run.updated += len(changed)
    # The audit trail records every change of a student, an import's included.
    AuditEvent.objects.bulk_create(
        _audit_row(actor, action, student, run)
        for action, students in (
            (AuditEvent.Action.CREATE, new),
            (AuditEvent.Action.UPDATE, changed),
        )
        for student in students
    )


def _audit_row(actor: User | None, action: str, student: Student, run: ImportRun) -> AuditEvent:
    signed_in = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent(
        actor=signed_in,
        actor_username=signed_in.get_username() if signed_in is not None else "",
        action=action,
        object_type="student",
        object_id=str(student.pk),
        school_id=student.school_id,
        request_id=get_request_id(),
        data={"import": run.pk},
    )


def _summary(run: ImportRun) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "filename": run.filename,
        "sha256": run.sha256,
        "rows": run.rows,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
    }


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
                Problem(line, "student_code", f"no student with code {code!r} in {school.code}")
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
                f"line {first} already gives this student's {kind} for this date",
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
                note=f"{len(ids)} signal(s) from {run.filename or 'a file'}",
                data={"import": run.pk, "signals": ids},
            )
        )
    CaseEvent.objects.bulk_create(events)
