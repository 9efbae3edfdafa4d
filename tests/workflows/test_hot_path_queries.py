"""What the hot path costs a whole request, token authentication included: claim, release and
completing a task in at most 8 statements, flagging a student in at most 15 (the targets;
completing triage takes 9 on SQLite, docs/PERFORMANCE.md says why). Completions cost one
statement more on SQLite than on PostgreSQL; the rest the same on both.

Counted with CaptureQueriesContext around the API call. As in production, BEGIN/COMMIT are not
counted: the test's own transaction turns the request's outermost atomic block into a savepoint,
which is left out; savepoints nested inside it are round trips like any other and count. Bounds
are the measured numbers: a regression fails here before it shows in a benchmark.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from casework.models import Case, Student
from casework.services.accounts import api_token_issue
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db

PRINT = bool(os.environ.get("PRINT_QUERIES"))


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def _post(client: APIClient, url: str, body: Any = None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, body, format="json")
    queries, depth = [], 0
    for query in (q["sql"] for q in captured.captured_queries):
        if query.startswith("SAVEPOINT"):
            depth += 1
            if depth == 1:
                continue  # BEGIN in production
        elif query.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            depth -= 1
            if depth == 0:
                continue  # COMMIT (or ROLLBACK) in production
        queries.append(query)
    if PRINT:
        print(f"\n{url}: {response.status_code}, {len(queries)} statements")
        for q in queries:
            print("   ", q[:160], "…", q[-60:])
    return response.status_code, queries


def _triage(case: Case) -> int:
    return CaseTask.objects.get(case=case, name="triage").pk


def test_it_claims_and_releases_in_at_most_6_statements(world: World, case: Case) -> None:
    client = _client(world.psychologist)
    task = _triage(case)
    status, claim = _post(client, f"/api/tasks/{task}/claim/")
    assert status == 200
    status, release = _post(client, f"/api/tasks/{task}/release/")
    assert status == 200
    assert len(claim) <= CLAIM, claim
    assert len(release) <= CLAIM, release


# A completion's process rows (the task done, the join or End after it; for triage also the
# share handle done and the next stage's handle) are written together at its end: the tasks in
# one upsert and their links in one insert, on PostgreSQL both in one statement (a
# data-modifying WITH), which SQLite has not: one statement more there.
_LINKS = 0 if connection.vendor == "postgresql" else 1
# Triage: token, the fetch (which locks the case too), the End's read of the unfinished tasks
# (the share handle among them), the case's UPDATE, the two timeline rows, the two audit rows,
# the notifications, the process rows.
COMPLETE_TRIAGE = 8 + _LINKS
# A function task: token, the fetch, the join's one read, the timeline and audit rows, the
# process rows (the task, the join inserted or done, the branch's End for the last one in).
COMPLETE_FUNCTION = 6 + _LINKS
# The last one here is the teacher's: a seat that sees only the office's shared cases reads the
# invitations it holds first (one may add a case not shared yet; casework.selectors).
COMPLETE_LAST_FUNCTION = 7 + _LINKS
# The token (with the user's memberships); the task fetch that takes the case's lock.
CLAIM = 6
FLAG = 14


def test_it_completes_triage_in_at_most_its_measured_statements(world: World, case: Case) -> None:
    client = _client(world.psychologist)
    task = _triage(case)
    assert client.post(f"/api/tasks/{task}/claim/").status_code == 200
    status, complete = _post(
        client,
        f"/api/tasks/{task}/complete/",
        {"summary": "s", "priority": 2, "recommended_functions": ["pedagogical"]},
    )
    assert status == 200
    assert Case.objects.get(pk=case.pk).stage == "shared"
    assert len(complete) <= COMPLETE_TRIAGE, complete


def test_it_completes_function_tasks_in_at_most_their_measured_statements(
    world: World, student: Student
) -> None:
    case = services.case_flag(
        student=student, actor=world.teacher, reason="r", functions=["information", "pedagogical"]
    )
    case = advance(case, world, "intervention")
    counts = []
    for name, user in (("pedagogical", world.psychologist), ("information", world.teacher)):
        client = _client(user)
        task = CaseTask.objects.get(case=case, name=name).pk
        assert client.post(f"/api/tasks/{task}/claim/").status_code == 200
        status, complete = _post(client, f"/api/tasks/{task}/complete/", {"note": "n"})
        assert status == 200
        counts.append(complete)
    first, last = counts
    assert len(first) <= COMPLETE_FUNCTION, first
    assert len(last) <= COMPLETE_LAST_FUNCTION, last
    join = Task.objects.get(process__artifact_object_id=case.pk, flow_task_type="JOIN")
    assert join.status == "DONE"


def test_it_flags_a_student_in_at_most_its_measured_statements(
    world: World, student: Student
) -> None:
    client = _client(world.teacher)
    # Warm, as a running server's are: the content types' cache, the first flag of the school.
    make_student(world.school)
    ContentType.objects.get_for_model(Case)
    status, flag = _post(
        client,
        "/api/cases/",
        {"student": student.pk, "reason": "Absent a lot", "functions": ["pedagogical"]},
    )
    assert status == 201
    assert len(flag) <= FLAG, flag
