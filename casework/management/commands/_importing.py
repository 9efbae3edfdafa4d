"""What the import commands share: choosing the school, the acting user, reading the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.errors import DomainError, Invalid
from casework.models import ImportRun, School, User
from casework.services.imports import ImportRefused


def school_for(code: str | None) -> School:
    """The school named by --school; it may be left out only when there is one school."""
    if code:
        school = School.objects.filter(code=code).first()
        if school is None:
            raise CommandError(f"No school with code {code!r}.")
        return school
    schools = list(School.objects.order_by("code")[:2])
    if not schools:
        raise CommandError("There is no school yet.")
    if len(schools) > 1:
        codes = ", ".join(School.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(
            f"There is more than one school ({codes}); say which with --school CODE."
        )
    return schools[0]


def user_for(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username!r}.")
    return user


class ImportCommand(BaseCommand):
    """Run an import service on a file; a refused file lists its bad rows and exits non-zero."""

    what = ""
    # The import service the command runs (each command names its own).
    importer: Callable[..., ImportRun]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A CSV (UTF-8, comma or semicolon) or XLSX file.")
        parser.add_argument(
            "--school", help="School code; required only when there is more than one school."
        )
        parser.add_argument(
            "--user",
            help="Record the import as done by this user (their role is checked); "
            "without it the import is recorded as done from the command line.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        school = school_for(options["school"])
        actor = user_for(options["user"])
        try:
            with path.open("rb") as file:
                run = self.importer(school=school, file=file, filename=path.name, actor=actor)
        except ImportRefused as exc:
            for line in exc.lines:
                self.stderr.write(line)
            raise CommandError(
                f"{path.name} refused: {exc.total} problem(s); nothing was imported."
            ) from None
        except Invalid as exc:
            raise CommandError(" ".join(m for ms in exc.fields.values() for m in ms)) from None
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {run.rows} {self.what} rows for {school.code} — {run.created} new, "
                f"{run.updated} updated, {run.unchanged} unchanged."
            )
        )
