"""Benchmark: computing a semester report's content from 500 activities, and a summary.

Run: .venv/bin/python bench/report_compute.py [activities]   (DATABASE_URL for PostgreSQL)
It creates a throwaway test database, a form tutor with ``activities`` activities in the
semester (each with an attendance list of about 25 students out of a school of 600), as many
again by nine colleagues, and times the content of the semester report and of the career
counsellor's summary over the ten registered reports (median of several runs). Target: a
semester report of 500 activities in under a second. Results in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TARGET_MS = 1000.0
PERIOD = "2025-2026/1"
TOPICS = ["education_routes", "career_routes", "mobility", "dropout_prevention"]


def timed(label: str, func: Callable[[], object], runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"{label:<60} {median:8.1f} ms (median of {runs})")
    return median


def main(n_activities: int) -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(n_activities)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def _activities(author: Any, students: list[Any], n: int, rng: random.Random) -> None:
    from counselling.models import Activity, Attendee

    start = datetime.date(2025, 9, 8)
    rows = [
        Activity(
            school_id=author.school_id,
            author=author,
            kind="group",
            channel=rng.choice(["direct", "phone", "platform", "email", "web"]),
            topic=rng.choice(TOPICS),
            title=f"Activitate {i}",
            held_on=start + datetime.timedelta(days=i % 140),
            duration_minutes=50,
            class_name="",
        )
        for i in range(n)
    ]
    made = Activity.objects.bulk_create(rows)
    Attendee.objects.bulk_create(
        [
            Attendee(activity=activity, student=student)
            for activity in made
            for student in rng.sample(students, 25)
        ]
    )


def run(n_activities: int) -> None:
    from casework.models import Position
    from counselling.reports import services
    from counselling.reports.content import report_content
    from tests.factories import make_student, make_user, make_world

    rng = random.Random(7)
    world = make_world()
    school = world.school
    students = [make_student(school, class_name=f"{9 + i % 4}{'ABCDE'[i % 5]}") for i in range(600)]
    counsellor = make_user("counsellor_b", school)
    Position.objects.create(user=counsellor, school=school, position="career_counsellor")
    authors = []
    for i in range(10):
        tutor = make_user(f"tutor_b{i}", school)
        Position.objects.create(user=tutor, school=school, position="study_counsellor")
        authors.append(tutor)
    _activities(authors[0], students, n_activities, rng)
    for tutor in authors[1:]:
        _activities(tutor, students, n_activities // 9, rng)
    _activities(counsellor, students, 50, rng)
    reports = [
        services.report_draft(actor=tutor, kind="counselling_semester", period=PERIOD)
        for tutor in authors
    ]
    semester = reports[0]
    print(f"{n_activities} activities of one author, {len(authors)} authors, 600 students")
    compute = timed("semester report content (one author)", lambda: report_content(semester))
    for report in reports:
        report = services.report_submit(actor=report.author, report=report)
        services.report_register(actor=counsellor, report=report)
    summary = services.report_draft(actor=counsellor, kind="counselling_summary", period=PERIOD)
    timed("summary content (10 semester reports + own)", lambda: report_content(summary))
    verdict = "PASS" if compute < TARGET_MS else "FAIL"
    print(f"target: semester report under {TARGET_MS:.0f} ms: {verdict}")
    if compute >= TARGET_MS:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
