"""Benchmark: counting every indicator of an action plan over a school year.

Run: .venv/bin/python bench/action_plans.py [students] [activities] [participations]
(DATABASE_URL for PostgreSQL.) It creates a throwaway test database, a school of 2,000 students
with 500 counselling activities over the school year 2025-2026 (each with an attendance list of
25 students), 20 partners with an agreement each, 200 completed participations in study visits,
practice placements and short-term mobilities (each with its dossier done), and the seed's
mobility plan, then times reading the whole plan with every indicator counted (median of 7) and
counts its queries. Target: under a second. Results in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

TARGET_MS = 1000.0
YEAR_START = datetime.date(2025, 9, 1)
TOPICS = ["education_routes", "career_routes", "mobility", "dropout_prevention"]
KINDS = ["study_visit", "practice_placement", "short_term_mobility"]


def main(n_students: int, n_activities: int, n_participations: int) -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(n_students, n_activities, n_participations)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def _activities(author: Any, students: list[Any], n: int, rng: random.Random) -> None:
    from counselling.models import Activity, Attendee

    made = Activity.objects.bulk_create(
        Activity(
            school_id=author.school_id,
            author=author,
            kind="group",
            channel="direct",
            topic=rng.choice(TOPICS),
            title=f"Activitate {i}",
            held_on=YEAR_START + datetime.timedelta(days=i % 300),
            duration_minutes=50,
        )
        for i in range(n)
    )
    Attendee.objects.bulk_create(
        Attendee(activity=activity, student=student)
        for activity in made
        for student in rng.sample(students, 25)
    )


def _support(world: Any, students: list[Any], n: int, rng: random.Random) -> None:
    from casework.models import Contact
    from support.models import (
        Agreement,
        DossierItem,
        Opportunity,
        Participation,
        Partner,
    )

    school, director = world.school, world.coordinator
    partners = []
    for i in range(20):
        entry = Contact.objects.create(office=world.office, kind="employer", name=f"Partener {i}")
        partners.append(
            Partner.objects.create(
                school=school,
                entry=entry,
                kind="employer",
                country="RO",
                identified_on=YEAR_START + datetime.timedelta(days=i * 10),
                created_by=director,
            )
        )
    Agreement.objects.bulk_create(
        Agreement(partner=p, purpose="mobility", signed_on=p.identified_on, recorded_by=director)
        for p in partners
    )
    opportunities = [
        Opportunity.objects.create(
            school=school,
            kind=KINDS[i % 3],
            title=f"Oportunitate {i}",
            starts_on=YEAR_START + datetime.timedelta(days=30 * i),
            ends_on=YEAR_START + datetime.timedelta(days=30 * i + 12),
            created_by=director,
        )
        for i in range(10)
    ]
    participations = Participation.objects.bulk_create(
        Participation(
            opportunity=opportunities[i % 10],
            student=student,
            role="learner",
            status="completed",
            proposed_by=director,
            completed_on=opportunities[i % 10].ends_on,
        )
        for i, student in enumerate(rng.sample(students, n))
    )
    DossierItem.objects.bulk_create(
        DossierItem(participation=p, item=item, done_on=p.opportunity.starts_on)
        for p in participations
        if p.opportunity.kind == "short_term_mobility"
        for item in ("identity_document", "learning_agreement", "insurance", "europass")
    )


def run(n_students: int, n_activities: int, n_participations: int) -> None:
    from casework.models import Position
    from plans import selectors, services
    from tests.factories import make_student, make_world

    rng = random.Random(7)
    world = make_world()
    Position.objects.create(user=world.coordinator, school=world.school, position="director")
    students = [
        make_student(world.school, class_name=f"{9 + i % 4}{'ABCDE'[i % 5]}")
        for i in range(n_students)
    ]
    _activities(world.coordinator, students, n_activities, rng)
    _support(world, students, n_participations, rng)
    plan = services.plan_create(
        actor=world.coordinator, school_year="2025-2026", template="student_mobility"
    )
    today = datetime.date(2026, 6, 1)
    with CaptureQueriesContext(connection) as queries:
        selectors.plan_tree(plan, today)
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        selectors.plan_tree(plan, today)
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(
        f"{n_students} students, {n_activities} activities (25 on each list), "
        f"{n_participations} completed participations, 16 actions"
    )
    print(f"{'every indicator of the plan counted':<50} {median:8.1f} ms (median of 7)")
    print(f"{'queries':<50} {len(queries):8d}")
    verdict = "PASS" if median < TARGET_MS else "FAIL"
    print(f"target: under {TARGET_MS:.0f} ms: {verdict}")
    if median >= TARGET_MS:
        sys.exit(1)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    main(*(args + [2000, 500, 200][len(args) :]))
