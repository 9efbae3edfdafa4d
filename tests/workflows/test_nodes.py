"""The nodes of workflows/nodes.py write the rows viewflow's own nodes write — the same tasks,
statuses, tokens, owners and ``previous`` links, the same timeline and notifications — over a
case's whole life; and two branches finishing at once still join once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation

from casework.models import Case, Student
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.factories import World, advance, make_student, make_world
from workflows import nodes, services
from workflows.flows import InterventionFlow, OfficeTaskFlow
from workflows.locking import process_of
from workflows.models import CaseTask, Notification

TASKS = (
    "triage",
    "information",
    "pedagogical",
    "socio_economic",
    "administrative",
    "closing_meeting",
    "library_publication",
)
TRIAGE = {"summary": "s", "priority": 1, "recommended_functions": ["information", "pedagogical"]}


def _life(world: World, student: Student) -> list[Any]:
    """Flag, triage (which shares), intervention with two functions done one after the other,
    closing, archive: the rows after each step."""
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
    )
    steps = [_rows(case)]
    triage = CaseTask.objects.get(case=case, name="triage")
    services.task_claim(case_task=triage, actor=world.psychologist)
    services.task_complete(case_task=triage, actor=world.psychologist, result=TRIAGE)
    steps.append(_rows(case))
    case = advance(Case.objects.get(pk=case.pk), world, "intervention")
    steps.append(_rows(case))
    for name, user in (("pedagogical", world.psychologist), ("information", world.teacher)):
        task = CaseTask.objects.get(case=case, name=name)
        services.task_claim(case_task=task, actor=user)
        services.task_complete(case_task=task, actor=user, result={"note": "done"})
        steps.append(_rows(case))
    case = advance(Case.objects.get(pk=case.pk), world, "archived")
    steps.append(_rows(case))
    return steps


def _rows(case: Case) -> list[Any]:
    """The process's tasks in the order they were written, ids replaced by that order."""
    process = process_of(case)
    tasks = list(Task.objects.filter(process=process).order_by("id"))
    index = {task.pk: n for n, task in enumerate(tasks)}

    def token(task: Task) -> str:
        return re.sub(r"/(\d+)_", lambda m: f"/#{index[int(m.group(1))]}_", str(task.token))

    rows: list[Any] = [
        (
            task.flow_task.name,
            task.flow_task_type,
            task.status,
            token(task),
            task.owner_permission,
            task.owner_id,
            task.data,
            task.started is None,
            task.finished is None,
            sorted(index[p.pk] for p in task.previous.all()),
        )
        for task in tasks
    ]
    rows.append((process.status, process.finished is None))
    rows.append(
        list(case.events.order_by("id").values_list("kind", "name", "from_stage", "to_stage"))
    )
    rows.append(sorted(Notification.objects.filter(case=case).values_list("recipient_id", "kind")))
    return rows


@pytest.mark.django_db
def test_it_writes_the_rows_viewflows_own_nodes_write(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _life(world, make_student(world.school))
    monkeypatch.setattr(InterventionFlow.start, "activation_class", StartHandleActivation)
    monkeypatch.setattr(InterventionFlow.join_functions, "activation_class", JoinActivation)
    for end in ("triage_done", "functions_done", "closing_done", "end"):
        monkeypatch.setattr(getattr(InterventionFlow, end), "activation_class", EndActivation)
    for name in ("share", "start_intervention", "start_closing", "archive"):
        node = getattr(InterventionFlow, name)
        monkeypatch.setattr(node, "activation_class", HandleActivation)
    for name in TASKS:
        node = getattr(InterventionFlow, name)
        monkeypatch.setattr(node, "activation_class", ViewActivation)
    theirs = _life(world, make_student(world.school))
    for n, (mine, viewflows) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == viewflows, n
    assert [row[0] for row in ours[0][:4]] == ["start", "split_flagged", "triage", "share"]


@pytest.mark.django_db
def test_it_falls_back_to_viewflows_start_for_a_shape_it_does_not_know() -> None:
    # The office task's start leads straight to a task, not to a split.
    assert nodes._plain_split_after(OfficeTaskFlow.start) is None
    assert nodes._plain_split_after(InterventionFlow.start) is InterventionFlow.split_flagged


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_it_joins_once_when_the_last_two_branches_finish_at_once() -> None:
    world = make_world()
    for _ in range(5):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["information", "pedagogical"],
        )
        case = advance(case, world, "intervention")
        calls: list[tuple[Any, str, str, dict[str, Any] | None]] = []
        for name, user in (("pedagogical", world.psychologist), ("information", world.teacher)):
            task = CaseTask.objects.get(case=case, name=name)
            services.task_claim(case_task=task, actor=user)
            calls.append((user, "post", f"/api/tasks/{task.pk}/complete/", {"note": "done"}))
        assert race(calls) == [200, 200]
        process = process_of(case)
        join = Task.objects.filter(process=process, flow_task=InterventionFlow.join_functions)
        assert [(t.status, t.previous.count()) for t in join] == [("DONE", 2)]
        done = Task.objects.filter(process=process, flow_task=InterventionFlow.functions_done)
        assert list(done.values_list("status", flat=True)) == ["DONE"]
