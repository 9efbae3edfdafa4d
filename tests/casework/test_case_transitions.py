"""The case stage machine: every legal and illegal transition, guards, preconditions, races."""

from __future__ import annotations

import pytest
from django_fsm import TransitionNotAllowed

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Case, CaseEvent, Stage, Student
from casework.models.case import TRANSITIONS
from casework.services.cases import closing_review_create
from tests.factories import World, advance, objective_fields, reload
from workflows.lifecycle import apply_transition
from workflows.services import objective_add

# (transition, from stage) pairs the machine allows; every other pair must be refused.
LEGAL = {
    ("share", "monitoring"): "shared",
    ("start_intervention", "shared"): "intervention",
    ("start_closing", "intervention"): "closing",
    ("archive", "closing"): "archived",
    ("withdraw", "monitoring"): "withdrawn",
    ("withdraw", "shared"): "withdrawn",
    ("withdraw", "intervention"): "withdrawn",
    ("withdraw", "closing"): "withdrawn",
}
REACHABLE = ["monitoring", "shared", "intervention", "closing", "archived", "withdrawn"]


def _case_in(stage: str, case: Case, world: World) -> Case:
    if stage == "withdrawn":
        apply_transition(case=case, name="withdraw", actor=world.coordinator, note="left")
        return reload(case)
    return advance(case, world, stage)


def _meet_preconditions(case: Case, world: World) -> None:
    """Give the case what guarded transitions need, so only the stage decides."""
    if case.stage in ("shared", "intervention"):
        objective_add(case=case, actor=world.coordinator, **objective_fields())
    if case.stage == "closing":
        closing_review_create(
            case=case,
            actor=world.coordinator,
            feedback="ok",
            objectives_met="all",
            impact="better",
            lessons_learned="call early",
        )


@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("stage", REACHABLE)
def test_it_allows_exactly_the_legal_transitions(
    name: str, stage: str, case: Case, world: World
) -> None:
    case = _case_in(stage, case, world)
    _meet_preconditions(case, world)
    before = CaseEvent.objects.filter(case=case).count()
    if (name, stage) in LEGAL:
        event = apply_transition(case=case, name=name, actor=world.coordinator, note="why")
        assert reload(case).stage == LEGAL[(name, stage)]
        assert (event.from_stage, event.to_stage, event.actor) == (
            stage,
            LEGAL[(name, stage)],
            world.coordinator,
        )
        assert CaseEvent.objects.filter(case=case).count() == before + 1
    else:
        with pytest.raises(Conflict):
            apply_transition(case=case, name=name, actor=world.coordinator, note="why")
        assert reload(case).stage == stage
        assert CaseEvent.objects.filter(case=case).count() == before


def test_it_refuses_intervention_without_a_smart_objective(case: Case, world: World) -> None:
    case = advance(case, world, "shared")
    with pytest.raises(Conflict, match="obiectiv SMART"):
        apply_transition(case=case, name="start_intervention", actor=world.coordinator)
    assert reload(case).stage == Stage.SHARED


def test_it_refuses_archive_without_a_closing_review(case: Case, world: World) -> None:
    case = advance(case, world, "closing")
    with pytest.raises(Conflict, match="evaluarea finală"):
        apply_transition(case=case, name="archive", actor=world.coordinator)
    assert reload(case).stage == Stage.CLOSING


def test_it_requires_a_reason_to_withdraw(case: Case, world: World) -> None:
    with pytest.raises(Invalid) as error:
        apply_transition(case=case, name="withdraw", actor=world.coordinator, note="  ")
    assert "note" in error.value.fields
    assert reload(case).stage == Stage.MONITORING


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("teacher", True),  # the flagger
        ("psychologist", True),  # group 2
        ("coordinator", True),
        ("social", False),
        ("admin_staff", False),
        ("network", False),
        ("form_tutor", False),
        ("outsider", False),
    ],
)
def test_it_lets_only_the_flagger_groups_1_2_and_coordinators_share(
    role: str, allowed: bool, case: Case, world: World
) -> None:
    actor = world.user(role)
    if allowed:
        apply_transition(case=case, name="share", actor=actor)
        assert reload(case).stage == Stage.SHARED
    else:
        with pytest.raises(Forbidden):
            apply_transition(case=case, name="share", actor=actor)
        assert reload(case).stage == Stage.MONITORING


@pytest.mark.parametrize("name", ["start_intervention", "start_closing", "archive", "withdraw"])
@pytest.mark.parametrize("role", ["teacher", "psychologist", "social", "admin_staff", "network"])
def test_it_keeps_later_steps_to_coordinators(
    name: str, role: str, case: Case, world: World
) -> None:
    with pytest.raises(Forbidden):
        apply_transition(case=case, name=name, actor=world.user(role), note="x")


def test_it_lets_a_non_member_flagger_share_their_own_case(world: World, student: Student) -> None:
    from workflows.services import case_flag

    case = case_flag(
        student=student, actor=world.form_tutor, reason="Sleeps in class", functions=["information"]
    )
    apply_transition(case=case, name="share", actor=world.form_tutor)
    assert reload(case).stage == Stage.SHARED


def test_it_refuses_a_stale_copy_with_a_conflict(case: Case, world: World) -> None:
    first = Case.objects.get(pk=case.pk)
    stale = Case.objects.get(pk=case.pk)
    apply_transition(case=first, name="share", actor=world.teacher)
    with pytest.raises(Conflict, match="modificat cazul"):
        apply_transition(case=stale, name="withdraw", actor=world.coordinator, note="moved")
    case = reload(case)
    assert case.stage == Stage.SHARED
    assert list(case.events.filter(kind="transition").values_list("name", flat=True)) == ["share"]


def test_it_protects_the_stage_from_direct_assignment(case: Case) -> None:
    with pytest.raises(AttributeError):
        case.stage = Stage.ARCHIVED


def test_it_keeps_the_model_transition_guarded_without_the_service(case: Case) -> None:
    with pytest.raises(TransitionNotAllowed):
        case.archive()


def test_it_records_when_a_case_was_shared_and_closed(case: Case, world: World) -> None:
    case = advance(case, world, "archived")
    assert case.shared_at is not None and case.closed_at is not None
    assert case.shared_at <= case.closed_at
