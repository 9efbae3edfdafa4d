"""InterventionFlow: the tasks each step creates, and the flow always agreeing with the stage."""

from __future__ import annotations

import itertools

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from casework.errors import Conflict
from casework.models import Case, Stage, User
from casework.services.cases import closing_review_create
from tests.factories import World, advance, make_student, objective_fields, reload
from workflows import services
from workflows.flows import HANDLE_FOR_STAGE, InterventionFlow
from workflows.locking import process_of
from workflows.models import CaseTask, Notification

pytestmark = pytest.mark.django_db


def _open_tasks(case: Case) -> dict[str, tuple[int, int | None]]:
    return {
        t.name: (t.group, t.second_group)
        for t in CaseTask.objects.filter(case=case, task__status__in=[STATUS.NEW, STATUS.ASSIGNED])
    }


def assert_flow_agrees(case: Case) -> None:
    """The pending stage handle names the stage; a closed case has none."""
    case = reload(case)
    process = process_of(case)
    pending = {
        t.flow_task.name
        for t in process.task_set.filter(flow_task_type="FUNCTION", status=STATUS.NEW)
    }
    if case.stage in HANDLE_FOR_STAGE:
        assert pending == {HANDLE_FOR_STAGE[case.stage]}, (case.stage, pending)
        assert process.status == PROCESS.NEW
    else:
        assert pending == set(), (case.stage, pending)
    if case.stage == Stage.WITHDRAWN:
        assert process.status == PROCESS.CANCELED
        assert not _open_tasks(case)


def _flag(world: World, functions: list[str]) -> Case:
    return services.case_flag(
        student=make_student(world.school), actor=world.teacher, reason="r", functions=functions
    )


def test_it_opens_the_triage_task_for_group_2_on_flagging(world: World) -> None:
    case = _flag(world, ["information"])
    assert _open_tasks(case) == {"triage": (2, None)}
    assert process_of(case).artifact == case
    assert_flow_agrees(case)


def test_it_creates_one_task_per_needed_function_for_its_group(world: World) -> None:
    case = _flag(world, ["information", "pedagogical", "socio_economic", "administrative"])
    case = advance(case, world, "intervention")
    assert _open_tasks(case) == {
        "information": (1, None),
        "pedagogical": (2, None),
        "socio_economic": (3, None),
        "administrative": (4, None),
    }
    assert_flow_agrees(case)


def test_it_creates_tasks_only_for_the_functions_the_case_needs(world: World) -> None:
    case = advance(_flag(world, ["socio_economic"]), world, "intervention")
    assert _open_tasks(case) == {"socio_economic": (3, None)}


def test_it_cancels_a_triage_the_office_no_longer_needs(world: World) -> None:
    case = advance(_flag(world, ["information"]), world, "intervention")
    triage = CaseTask.objects.get(case=case, name="triage")
    assert triage.task.status == STATUS.CANCELED
    assert case.events.filter(name="task_cancelled", data__task=triage.pk).exists()


def test_it_refuses_to_close_while_function_tasks_are_open(world: World) -> None:
    case = advance(_flag(world, ["information", "pedagogical"]), world, "intervention")
    with pytest.raises(Conflict) as refused:
        services.case_transition(case=case, name="start_closing", actor=world.coordinator)
    assert sorted(refused.value.extra["open_tasks"]) == sorted(
        CaseTask.objects.filter(case=case, name__in=["information", "pedagogical"]).values_list(
            "pk", flat=True
        )
    )
    assert reload(case).stage == Stage.INTERVENTION
    assert_flow_agrees(case)


def _finish(case_task: CaseTask, user: User) -> None:
    services.task_claim(case_task=case_task, actor=user)
    services.task_complete(case_task=case_task, actor=user, result={"note": "done"})


def test_it_joins_the_function_tasks_before_closing(world: World) -> None:
    case = advance(_flag(world, ["information", "pedagogical"]), world, "intervention")
    _finish(CaseTask.objects.get(case=case, name="information"), world.teacher)
    _finish(CaseTask.objects.get(case=case, name="pedagogical"), world.psychologist)
    join = process_of(case).task_set.get(flow_task=InterventionFlow.join_functions)
    assert join.status == STATUS.DONE
    services.case_transition(case=reload(case), name="start_closing", actor=world.coordinator)
    case = reload(case)
    assert case.stage == Stage.CLOSING
    assert _open_tasks(case) == {"closing_meeting": (2, 1)}
    assert_flow_agrees(case)


def test_it_cancels_open_tasks_and_the_waiting_join_when_asked(world: World) -> None:
    case = advance(_flag(world, ["information", "pedagogical"]), world, "intervention")
    _finish(CaseTask.objects.get(case=case, name="information"), world.teacher)
    holder_task = CaseTask.objects.get(case=case, name="pedagogical")
    services.task_claim(case_task=holder_task, actor=world.psychologist)
    services.case_transition(
        case=reload(case),
        name="start_closing",
        actor=world.coordinator,
        note="the student moved to a day school",
        cancel_open_tasks=True,
    )
    case = reload(case)
    holder_task.task.refresh_from_db()
    assert holder_task.task.status == STATUS.CANCELED
    join = process_of(case).task_set.get(flow_task=InterventionFlow.join_functions)
    assert join.status == STATUS.CANCELED
    assert Notification.objects.filter(recipient=world.psychologist, kind="task.cancelled").exists()
    assert_flow_agrees(case)


def test_it_gives_the_library_task_to_the_coordinator_who_archived(world: World) -> None:
    case = advance(_flag(world, ["information"]), world, "archived")
    case_task = CaseTask.objects.get(case=case, name="library_publication")
    assert case_task.task.owner == world.coordinator
    assert case_task.task.assigned is not None
    assert case_task.group == 1  # the coordinator's own group
    assert case_task.coordinators_only
    assert_flow_agrees(case)


def test_it_cancels_everything_on_withdrawal(world: World) -> None:
    case = advance(_flag(world, ["information", "socio_economic"]), world, "intervention")
    services.case_transition(case=case, name="withdraw", actor=world.coordinator, note="left")
    assert reload(case).stage == Stage.WITHDRAWN
    assert_flow_agrees(case)


STEPS = [
    "share",
    "objective",
    "start_intervention",
    "finish_tasks",
    "start_closing",
    "review",
    "archive",
    "withdraw",
    "triage",
]


def _try(step: str, case: Case, world: World) -> None:
    case = reload(case)
    try:
        if step == "objective":
            services.objective_add(case=case, actor=world.coordinator, **objective_fields())
        elif step == "review":
            closing_review_create(
                case=case,
                actor=world.coordinator,
                feedback="f",
                objectives_met="all",
                impact="i",
                lessons_learned="l",
            )
        elif step == "finish_tasks":
            for case_task in CaseTask.objects.filter(case=case, task__status=STATUS.NEW).exclude(
                name="triage"
            ):
                user = {
                    1: world.teacher,
                    2: world.psychologist,
                    3: world.social,
                    4: world.admin_staff,
                }[case_task.group]
                _finish(case_task, user)
        elif step == "triage":
            case_task = CaseTask.objects.get(case=case, name="triage")
            services.task_claim(case_task=case_task, actor=world.psychologist2)
            services.task_complete(
                case_task=case_task,
                actor=world.psychologist2,
                result={"summary": "s", "priority": 1, "recommended_functions": ["information"]},
            )
        else:
            services.case_transition(case=case, name=step, actor=world.coordinator, note="n")
    except Conflict:
        pass


@pytest.mark.parametrize(
    "order", list(itertools.islice(itertools.permutations(STEPS[:7]), 0, 5040, 420))
)
def test_it_keeps_flow_and_stage_in_step_whatever_the_order(
    order: tuple[str, ...], world: World
) -> None:
    case = _flag(world, ["information", "pedagogical"])
    for step in (*order, *STEPS):
        _try(step, case, world)
        assert_flow_agrees(case)
