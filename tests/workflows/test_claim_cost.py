"""What a claim costs: the fetch answers the offer check, the race's losers leave after one
read, the winner writes its task once. Measured in docs/PERFORMANCE.md; held here by query
counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework import roles
from casework.errors import Conflict, Forbidden
from casework.models import Case
from tests.factories import World, make_student
from workflows import selectors, services
from workflows.flows import InterventionFlow, OfficeTaskFlow
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


def _triage_id(case: Case) -> int:
    return CaseTask.objects.get(case=case, name="triage").pk


def _queries(call: Any) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, [q["sql"] for q in captured.captured_queries]


def test_it_answers_the_offer_check_from_the_fetch_for_the_same_user(
    world: World, case: Case
) -> None:
    case_task = selectors.task_get_for_user(world.psychologist, _triage_id(case))
    offered, queries = _queries(lambda: selectors.is_offered(world.psychologist, case_task))
    assert offered is True
    assert queries == []
    # Anyone else is asked of the database, as before.
    offered, queries = _queries(lambda: selectors.is_offered(world.psychologist2, case_task))
    assert offered is True
    assert any('FROM "workflows_casetask"' in q for q in queries)
    offered, _ = _queries(lambda: selectors.is_offered(world.teacher, case_task))
    assert offered is False


def test_it_fetches_a_task_its_viewer_is_not_offered_as_not_offered(world: World) -> None:
    # The teacher flagged the case, so sees its triage task, which is for group 2; the form
    # tutor has no seat in the office at all (an empty offer rule).
    for flagger in (world.teacher, world.form_tutor):
        case = services.case_flag(
            student=make_student(world.school), actor=flagger, reason="r", functions=["pedagogical"]
        )
        case_task = selectors.task_get_for_user(flagger, _triage_id(case))
        assert selectors.is_offered(flagger, case_task) is False
        with pytest.raises(Forbidden):
            services.task_claim(case_task=case_task, actor=flagger)


def test_it_claims_in_one_update_of_the_task_and_lets_a_loser_go_after_one_read(
    world: World, case: Case
) -> None:
    task_id = _triage_id(case)
    winner = selectors.task_get_for_user(world.psychologist, task_id)
    loser = selectors.task_get_for_user(world.psychologist2, task_id)

    _, queries = _queries(lambda: services.task_claim(case_task=winner, actor=world.psychologist))
    task_updates = [q for q in queries if q.startswith('UPDATE "viewflow_task"')]
    assert len(task_updates) == 1
    assert '"assigned" = ' in task_updates[0] and '"owner_id" = ' in task_updates[0]
    winner.task.refresh_from_db()
    assert winner.task.assigned is not None
    assert winner.task.owner_id == world.psychologist.pk

    def lose() -> None:
        with pytest.raises(Conflict) as lost:
            services.task_claim(case_task=loser, actor=world.psychologist2)
        assert lost.value.extra == {"status": "claimed"}

    _, queries = _queries(lose)
    reads = [q for q in queries if q.startswith("SELECT")]
    # One read: the lock, taken by reading the task with its process; no visibility query.
    assert len(reads) == 1, reads
    if connection.features.has_select_for_update:  # SQLite locks the whole database instead
        assert "FOR UPDATE" in reads[0]
    assert not [q for q in queries if q.startswith(("UPDATE", "INSERT"))]


def test_it_takes_the_cases_lock_in_the_fetch_and_claims_without_reading_again(
    world: World, case: Case
) -> None:
    task_id = _triage_id(case)
    roles.memberships(world.psychologist)  # read once per request, before the fetch
    with transaction.atomic():
        case_task, fetched = _queries(
            lambda: selectors.task_get_for_user(
                world.psychologist, task_id, locked_if_of=InterventionFlow
            )
        )
        _, queries = _queries(
            lambda: services.task_claim(case_task=case_task, actor=world.psychologist)
        )
    assert len(fetched) == 1
    if connection.features.has_select_for_update:
        assert 'FOR UPDATE OF "viewflow_process", "viewflow_task"' in fetched[0]
    assert not [q for q in queries if q.startswith("SELECT")], queries
    assert CaseTask.objects.get(pk=task_id).task.owner_id == world.psychologist.pk


def test_it_reads_a_task_again_under_the_lock_in_a_transaction_other_than_its_fetchs(
    world: World, case: Case
) -> None:
    task_id = _triage_id(case)
    with transaction.atomic():
        case_task = selectors.task_get_for_user(
            world.psychologist, task_id, locked_if_of=InterventionFlow
        )
    with transaction.atomic():
        _, queries = _queries(
            lambda: services.task_claim(case_task=case_task, actor=world.psychologist)
        )
    reads = [q for q in queries if q.startswith("SELECT")]
    assert len(reads) == 1 and 'FROM "viewflow_task"' in reads[0], reads


def test_it_fetches_a_task_of_another_flow_without_the_lock(world: World, case: Case) -> None:
    task_id = _triage_id(case)
    roles.memberships(world.psychologist)  # read once per request, before the fetch
    with transaction.atomic():
        case_task, fetched = _queries(
            lambda: selectors.task_get_for_user(
                world.psychologist, task_id, locked_if_of=OfficeTaskFlow
            )
        )
    assert case_task.pk == task_id
    assert len(fetched) == 2 and "FOR UPDATE" not in fetched[1]
    assert not hasattr(case_task.task, selectors.LOCKED_IN)
