"""A small school whose outcomes are known by hand: who was flagged when, who left when."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

from casework.models import Case, Position, Student, User
from tests.factories import World, make_user
from tests.plans.plan_helpers import PlanStaff, make_plan_staff
from workflows import services
from workflows.models import CaseTask

# "Today" for every test of the outcomes.
TODAY = datetime.date(2026, 6, 30)
YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
READER_POSITIONS = {
    "director": "director",
    "deputy": "deputy_director",
    "ceiac": "quality_commission",
}


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def today() -> Iterator[datetime.date]:
    with time_machine.travel(at(TODAY), tick=False):
        yield TODAY


def flag(world: World, student: Student, day: datetime.date, functions: list[str]) -> Case:
    with time_machine.travel(at(day), tick=False):
        return services.case_flag(
            student=student, actor=world.teacher, reason="Absent a lot", functions=functions
        )


def triage(world: World, case: Case, day: datetime.date) -> None:
    """The psychologist claims and completes the triage on ``day`` (which shares the case)."""
    with time_machine.travel(at(day), tick=False):
        task = CaseTask.objects.get(case=case, name="triage")
        services.task_claim(case_task=task, actor=world.psychologist)
        services.task_complete(
            case_task=task,
            actor=world.psychologist,
            result={"summary": "s", "priority": 2, "recommended_functions": ["pedagogical"]},
        )


def leave(student: Student, status: str, day: datetime.date) -> None:
    Student.objects.filter(pk=student.pk).update(status=status, left_on=day)


@pytest.fixture
def readers(world: World) -> dict[str, User]:
    """The school's director, deputy director and CEIAC, and another school's director."""
    made = {}
    for name, position in READER_POSITIONS.items():
        made[name] = make_user(f"{name}_p", world.school)
        Position.objects.create(user=made[name], school=world.school, position=position)
    made["other_director"] = make_user("other_director", world.other_school)
    Position.objects.create(
        user=made["other_director"], school=world.other_school, position="director"
    )
    made["tutor"] = make_user("tutor_p", world.school)
    Position.objects.create(
        user=made["tutor"], school=world.school, position="form_tutor", class_name="10A"
    )
    return made


@pytest.fixture
def plan_staff(world: World) -> PlanStaff:
    """The school's director, deputy director, CEIAC, head of section and a form tutor, and
    another school's director (for the action plans)."""
    return make_plan_staff(world)
