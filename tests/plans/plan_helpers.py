"""Builders for the action plan tests: the school's duties and records dated in a school year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casework.models import Position, Student, User
from counselling.models import Activity, Attendee
from plans import services
from plans.models import ActionPlan, PlanAction, PlanIndicator
from tests.factories import World, make_student, make_user

YEAR = "2025-2026"


@dataclass
class PlanStaff:
    world: World
    director: User
    deputy: User
    ceiac: User
    head: User
    tutor: User
    other_director: User

    def user(self, name: str) -> User:
        if hasattr(self, name):
            user: User = getattr(self, name)
            return user
        return self.world.user(name)


PLAN_ROLES = ["director", "deputy", "ceiac", "head", "tutor", "other_director"]


def make_plan_staff(world: World) -> PlanStaff:
    held = {
        "director": ("director", ""),
        "deputy": ("deputy_director", ""),
        "ceiac": ("quality_commission", ""),
        "head": ("head_of_section", ""),
        "tutor": ("form_tutor", "10A"),
    }
    users = {}
    for name, (position, class_name) in held.items():
        users[name] = make_user(f"{name}_plan", world.school)
        Position.objects.create(
            user=users[name], school=world.school, position=position, class_name=class_name
        )
    other = make_user("other_director_plan", world.other_school)
    Position.objects.create(user=other, school=world.other_school, position="director")
    return PlanStaff(world=world, other_director=other, **users)


def blank_plan(staff: PlanStaff) -> ActionPlan:
    return services.plan_create(actor=staff.director, title="Plan", school_year=YEAR)


def one_indicator(
    staff: PlanStaff,
    *,
    measure: str = "activities",
    target: int = 2,
    filter: dict[str, object] | None = None,
    term: object = None,
    responsible: list[str] | None = None,
) -> PlanIndicator:
    plan = blank_plan(staff)
    objective = services.plan_objective_add(actor=staff.director, plan=plan, text="Informare")
    action: PlanAction = services.plan_action_add(
        actor=staff.director,
        objective=objective,
        text="Activități de informare",
        responsible=responsible or ["deputy_director", "form_tutor"],
        term=term or {"from": "2025-09", "to": "2025-10"},
    )
    return services.plan_indicator_add(
        actor=staff.director,
        action=action,
        text="min. 2 activități",
        target=target,
        measure=measure,
        filter=filter or {},
    )


def activity(
    author: User,
    day: datetime.date,
    *,
    topic: str = "mobility",
    kind: str = "group",
    students: list[Student] | None = None,
) -> Activity:
    students = students or []
    held = Activity.objects.create(
        school_id=author.school_id or 0,
        author=author,
        kind=kind,
        channel="direct",
        topic=topic,
        title="Mobilități Erasmus+",
        held_on=day,
        duration_minutes=50,
        class_name="10A",
        student=students[0] if kind == "individual" else None,
    )
    Attendee.objects.bulk_create([Attendee(activity=held, student=s) for s in students])
    return held


def students(world: World, n: int) -> list[Student]:
    return [make_student(world.school) for _ in range(n)]
