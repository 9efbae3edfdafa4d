"""Racing transitions on PostgreSQL: of two requests that move one case, one wins, one gets 409."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from casework.models import Case
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.factories import make_student, make_world
from workflows.services import case_flag

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_it_never_lets_two_racing_transitions_both_start_from_the_same_stage() -> None:
    """share and withdraw race from monitoring. Run one after the other, both are legal
    (monitoring → shared → withdrawn); overlapping, the stale one must lose with 409. Either
    way the timeline is a valid chain: no transition starts from a stage the case had left."""
    world = make_world()
    outcomes: Counter[tuple[int, ...]] = Counter()
    for _ in range(10):
        case = case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        )
        base = f"/api/cases/{case.pk}/transitions"
        statuses = race(
            [
                (world.teacher, "post", f"{base}/share/", {}),
                (world.coordinator, "post", f"{base}/withdraw/", {"note": "moved away"}),
            ]
        )
        outcomes[tuple(sorted(statuses))] += 1
        case = Case.objects.get(pk=case.pk)
        chain = list(
            case.events.filter(kind="transition")
            .order_by("id")
            .values_list("from_stage", "to_stage")
        )
        assert chain[0][0] == "monitoring"
        assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(chain))
        assert len(chain) == statuses.count(200)
        assert case.stage == chain[-1][1]
    assert set(outcomes) <= {(200, 409), (200, 200)}


def test_it_lets_exactly_one_of_two_racing_withdrawals_win() -> None:
    world = make_world()
    for _ in range(10):
        case = case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        )
        path = f"/api/cases/{case.pk}/transitions/withdraw/"
        statuses = race(
            [
                (world.coordinator, "post", path, {"note": "left"}),
                (world.coordinator, "post", path, {"note": "moved"}),
            ]
        )
        assert sorted(statuses) == [200, 409]
        assert Case.objects.get(pk=case.pk).events.filter(kind="transition").count() == 1


def test_it_lets_exactly_one_of_two_identical_shares_win() -> None:
    world = make_world()
    for _ in range(10):
        case = case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        )
        path = f"/api/cases/{case.pk}/transitions/share/"
        # Before the triage only a coordinator shares; two clicks of theirs race.
        statuses = race(
            [(world.coordinator, "post", path, {}), (world.coordinator, "post", path, {})]
        )
        assert sorted(statuses) == [200, 409]
        assert Case.objects.get(pk=case.pk).events.filter(kind="transition").count() == 1


def test_it_opens_one_case_when_two_teachers_flag_one_student_at_once() -> None:
    world = make_world()
    for _ in range(5):
        student = make_student(world.school)
        body = {"student": student.pk, "reason": "Absent", "functions": ["pedagogical"]}
        statuses = race(
            [
                (world.teacher, "post", "/api/cases/", body),
                (world.form_tutor, "post", "/api/cases/", body),
            ]
        )
        assert sorted(statuses) == [201, 409]
        assert Case.objects.filter(student=student).count() == 1
