"""python manage.py recompute_risk [--school CODE]"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casework.management.commands._importing import school_for
from casework.models import School, Student
from casework.services.risk import risk_refresh


class Command(BaseCommand):
    help = (
        "Recompute the stored risk of every student (or one school's). Lists refresh stale "
        "assessments themselves; run this after changing thresholds, or nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="School code; all schools when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        students = Student.objects.all()
        if options["school"]:
            students = students.filter(school=school_for(options["school"]))
        started = time.perf_counter()
        count = risk_refresh(students)
        elapsed = time.perf_counter() - started
        schools = School.objects.filter(pk__in=students.values("school_id")).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed the risk of {count} student(s) in {schools} school(s) "
                f"in {elapsed:.1f} s."
            )
        )
