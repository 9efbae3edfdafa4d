"""Benchmark: the outcomes (``GET /api/office/kpis/`` and ``/effectiveness/``) on a generated
school.

Run: .venv/bin/python bench/outcomes.py [students] [cases]   (DATABASE_URL for PostgreSQL)
It creates a throwaway test database and a school of ``students`` students; ``cases`` of them are
flagged through the real services over the past two years (time travelled to each flag day),
triaged a few days later, two in three taken into intervention, one in four proposed from the
case for a practice placement they completed; a fifth of all students have left (dropped out,
transferred or graduated). It then times each read (median of several runs) —
the two API reads, the dashboard page (both, and the charts) and the XLSX workbook — and counts
its queries, which must not grow with the school.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(label: str, func: Callable[[], object], runs: int = 5) -> None:
    samples = []
    queries: list[str] = []

    # Counted with a wrapper, not the debug log, which each request empties when it starts.
    def count(execute: Callable[..., object], sql: str, *args: object) -> object:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        func()
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<44} {statistics.median(samples):8.1f} ms (median of {runs}), "
        f"{len(queries)} queries"
    )


def main(students: int, cases: int) -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(students, cases)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(n_students: int, n_cases: int) -> None:
    import time_machine
    from django.test import Client
    from django.utils import timezone

    from casework.models import Student
    from plans import outcomes
    from support.models import Opportunity, Participation
    from tests.conftest import client_for, sign_in
    from tests.factories import advance, make_world, reload
    from workflows import services
    from workflows.models import CaseTask

    rng = random.Random(18)
    world = make_world()
    start = time.perf_counter()
    Student.objects.bulk_create(
        Student(
            school=world.school,
            code=f"B-{i:06d}",
            first_name="Ana",
            last_name=f"Pop{i}",
            class_name=f"{9 + i % 4}A",
            programme="Electrician",
        )
        for i in range(n_students)
    )
    today = timezone.localdate()
    ids = list(Student.objects.values_list("id", flat=True))
    for student_id in rng.sample(ids, n_students // 5):
        Student.objects.filter(pk=student_id).update(
            status=rng.choice(["dropped_out", "transferred", "graduated"]),
            left_on=today - datetime.timedelta(days=rng.randint(0, 700)),
        )
    functions = ["pedagogical", "socio_economic", "information", "administrative"]
    placement = Opportunity.objects.create(
        school=world.school,
        kind="practice_placement",
        title="Practice",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=380),
        created_by=world.coordinator,
    )
    taken: list[Participation] = []
    for i, student in enumerate(Student.objects.filter(pk__in=ids[:n_cases])):
        day = timezone.now() - datetime.timedelta(days=730 * i // n_cases + 20)
        with time_machine.travel(day, tick=False):
            case = services.case_flag(
                student=student, actor=world.teacher, reason="r", functions=[functions[i % 4]]
            )
        with time_machine.travel(day + datetime.timedelta(days=1 + i % 9), tick=False):
            task = CaseTask.objects.get(case=case, name="triage")
            services.task_claim(case_task=task, actor=world.psychologist)
            result = {"summary": "s", "priority": 2, "recommended_functions": [functions[i % 4]]}
            services.task_complete(case_task=task, actor=world.psychologist, result=result)
        if i % 3:
            with time_machine.travel(day + datetime.timedelta(days=12 + i % 5), tick=False):
                advance(reload(case), world, "intervention")
        if i % 4 == 0:
            taken.append(
                Participation(
                    opportunity=placement,
                    role="learner",
                    student=student,
                    case=case,
                    proposed_by=world.coordinator,
                    status="completed",
                )
            )
    Participation.objects.bulk_create(taken)
    print(
        f"setup: {n_students} students, {n_cases} cases in {time.perf_counter() - start:.0f} s "
        f"on {connection.vendor}"
    )
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    client = client_for(world.coordinator)
    since = (today - datetime.timedelta(days=800)).isoformat()
    query = {"from": since, "to": today.isoformat()}
    timed("GET /api/office/kpis/ (two years)", lambda: client.get("/api/office/kpis/", query))
    timed(
        "GET /api/office/effectiveness/ (two years)",
        lambda: client.get("/api/office/effectiveness/", query),
    )
    timed("GET /api/office/kpis/ (default: one year)", lambda: client.get("/api/office/kpis/"))
    timed(
        "GET /api/office/kpis.xlsx (two years)", lambda: client.get("/api/office/kpis.xlsx", query)
    )
    browser = sign_in(Client(), world.coordinator)
    timed("GET /outcomes/ (dashboard, two years)", lambda: browser.get("/outcomes/", query))
    # The parts of the key figures, over the two years.
    cases = outcomes.cases_flagged(
        world.school, outcomes.Period(today - datetime.timedelta(800), today)
    )
    timed("  time to triage", lambda: outcomes.time_to_triage(cases))
    timed(
        "  time in the four stages",
        lambda: [outcomes.time_in_stage(cases, s) for s in outcomes.STAGES],
    )
    timed(
        "  closure and objectives",
        lambda: (outcomes.closure(cases), outcomes.objectives_met(cases)),
    )
    period = outcomes.Period(today - datetime.timedelta(800), today)
    timed("  retention (6 and 12 months)", lambda: outcomes.retention(world.school, period, today))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [3000, 300][len(args) :]))
