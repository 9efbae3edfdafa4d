"""Importing the student register (see the package for the rules every import keeps)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework import policies
from casework.dates import clean_within
from casework.models import (
    AuditEvent,
    Enrolment,
    ImportRun,
    School,
    Student,
    User,
)
from casework.services.audit import audit_record
from casework.services.imports.common import (
    BATCH,
    STUDENT_COLUMNS,
    STUDENT_OPTIONAL,
    ImportRefused,
    _audit_row,
    _cell,
    _check_size,
    _sha256,
    _summary,
    _table,
    _text,
)
from casework.services.maintenance import analyze_after_commit
from casework.tabular import (
    CellError,
    Problem,
    Problems,
    Table,
    parse_date,
)

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
        if "status" in values or "left_on" in values:
            good &= _enrolment(problems, line, values, clean)
        code = clean["code"]
        if code:
            if code in seen:
                problems.add(
                    Problem(
                        line,
                        "code",
                        gettext("'%(code)s' is already on line %(line)s")
                        % {"code": code, "line": seen[code]},
                    )
                )
                good = False
            else:
                seen[code] = line
        if good:
            yield line, clean


def _birth_date(raw: Any) -> datetime.date:
    return clean_within("birth_date", parse_date(raw))


def _status(raw: Any) -> str:
    status = "" if raw is None else str(raw).strip().lower()
    if not status:
        return str(Enrolment.ENROLLED)
    if status not in Enrolment.values:
        raise CellError(
            gettext("%(value)r is not an enrolment status; use one of %(statuses)s")
            % {"value": status, "statuses": ", ".join(Enrolment.values)}
        )
    return status


def _left_on(raw: Any) -> datetime.date:
    return clean_within("left_on", parse_date(raw))


def _enrolment(
    problems: Problems, line: int, values: dict[str, Any], clean: dict[str, Any]
) -> bool:
    """``status`` (blank is enrolled) and ``left_on``: a day for anyone who left, none for the
    enrolled. The windows keep ``left_on`` after any birth date (a learner is 10 or older, one
    leaves at most 10 years ago). A file without the columns leaves both alone."""
    ok, clean["status"] = _cell(problems, line, "status", _status, values.get("status"))
    clean["left_on"] = None
    raw = values.get("left_on")
    if raw not in (None, "") and not (isinstance(raw, str) and not raw.strip()):
        day_ok, clean["left_on"] = _cell(problems, line, "left_on", _left_on, raw)
        ok &= day_ok
    if not ok:
        return False
    message = None
    if clean["status"] == Enrolment.ENROLLED and clean["left_on"] is not None:
        message = gettext("an enrolled student has not left; leave left_on empty")
    elif clean["status"] != Enrolment.ENROLLED and clean["left_on"] is None:
        message = gettext("give the day the student left (status %(status)s)") % {
            "status": clean["status"]
        }
    if message is not None:
        problems.add(Problem(line, "left_on", message))
        return False
    return True


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
_ENROLMENT_FIELDS = ("status", "left_on")


def _write_students(run: ImportRun, batch: list[dict[str, Any]], actor: User | None) -> None:
    if not batch:
        return
    existing = {
        s.code: s
        for s in Student.objects.filter(school=run.school, code__in=[r["code"] for r in batch])
    }
    new, changed = [], []
    # A file without the enrolment columns leaves every student's enrolment as it was.
    fields = _STUDENT_FIELDS + _ENROLMENT_FIELDS if "status" in batch[0] else _STUDENT_FIELDS
    for row in batch:
        student = existing.get(row["code"])
        if student is None:
            new.append(Student(school=run.school, **row))
        elif any(getattr(student, f) != row[f] for f in fields):
            for name in fields:
                setattr(student, name, row[name])
            changed.append(student)
    Student.objects.bulk_create(new)
    Student.objects.bulk_update(changed, fields)
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
