"""Benchmark: building the agenda, rendering the minutes, serving the calendar feed.

Run: .venv/bin/python bench/bench_meetings.py [cases]   (DATABASE_URL for PostgreSQL)
It creates a throwaway test database, an office with ``cases`` cases spread over the stages and
the agenda's reasons, then times each operation (median of several runs).
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(label: str, func: Callable[[], object], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"{label:<52} {median:8.1f} ms (median of {runs})")
    return median


def main(n_cases: int) -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(n_cases)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(n_cases: int) -> None:
    from django.utils import timezone

    from casework.models import Objective
    from tests.conftest import client_for
    from tests.factories import advance, make_student, make_world
    from workflows import services
    from workflows.agenda import agenda_refresh
    from workflows.calendar import calendar_for
    from workflows.minutes import minutes_pdf
    from workflows.models import AgendaItem, CaseTask

    world = make_world()
    stages = ["shared", "intervention", "intervention", "closing", "monitoring"]
    start = time.perf_counter()
    cases = []
    for i in range(n_cases):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["pedagogical", "socio_economic"],
        )
        cases.append(advance(case, world, stages[i % len(stages)]))
    past = timezone.now() - datetime.timedelta(days=1)
    CaseTask.objects.filter(case__in=cases[1::7]).update(due_at=past)
    Objective.objects.filter(case__in=cases[2::5]).update(status="at_risk")
    print(f"setup: {n_cases} cases in {time.perf_counter() - start:.1f} s")

    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
    )
    items = AgendaItem.objects.filter(meeting=meeting).count()
    print(f"agenda: {items} items from {n_cases} cases")

    def rebuild() -> None:
        AgendaItem.objects.filter(meeting=meeting).delete()
        agenda_refresh(meeting)

    timed("agenda built from scratch", rebuild)
    timed("agenda refreshed (nothing changed)", lambda: agenda_refresh(meeting))
    client = client_for(world.coordinator)
    timed(
        "GET /api/meetings/{id}/agenda/",
        lambda: client.get(f"/api/meetings/{meeting.pk}/agenda/"),
    )
    for item in AgendaItem.objects.filter(meeting=meeting)[:30]:
        services.decision_record(
            meeting=meeting, item=item, actor=world.coordinator, kind="note", text="Decided."
        )
    pdf = minutes_pdf(meeting, world.coordinator)
    print(f"minutes: {len(pdf) // 1024} KiB PDF")
    timed("minutes PDF (WeasyPrint)", lambda: minutes_pdf(meeting, world.coordinator), runs=3)
    timed("calendar feed of a task holder", lambda: calendar_for(world.psychologist))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
