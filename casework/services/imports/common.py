"""What the student and signal imports share: the size check, reading the table, the cells,
the audit rows and the summary of a run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext

from casework.context import get_request_id
from casework.errors import Invalid
from casework.models import (
    AuditEvent,
    ImportRun,
    Student,
    User,
)
from casework.tabular import (
    CellError,
    Problem,
    Problems,
    Table,
    megabytes,
    parse_text,
)

STUDENT_COLUMNS = ("code", "first_name", "last_name", "class_name", "programme")
STUDENT_OPTIONAL = ("birth_date", "status", "left_on")
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
