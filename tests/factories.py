"""Builders for test data: the role users of the contract and their school, via the services."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from casework.models import Case, Group, Office, School, Student, User
from casework.services.offices import membership_set

_codes = itertools.count(1)


@dataclass
class World:
    school: School
    other_school: School
    office: Office
    teacher: User
    psychologist: User
    psychologist2: User
    social: User
    network: User
    admin_staff: User
    coordinator: User
    form_tutor: User
    outsider: User

    def user(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


ROLE_NAMES = [
    "teacher",
    "psychologist",
    "psychologist2",
    "social",
    "network",
    "admin_staff",
    "coordinator",
    "form_tutor",
    "outsider",
]


def make_user(username: str, school: School | None, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password="demo", school=school, first_name=username.title(), **extra
    )
    return user


def make_world() -> World:
    school = School.objects.create(code="DEMO", name="Liceul Tehnologic Demo", town="Demoville")
    other = School.objects.create(code="OTHER", name="Colegiul Tehnic Other", town="Otherton")
    office = Office.objects.create(school=school, name="Biroul de acțiune")
    users = {
        "teacher": (school, Group.EDUCATORS, False, False),
        "psychologist": (school, Group.PEDAGOGY, False, False),
        "psychologist2": (school, Group.PEDAGOGY, False, False),
        "social": (school, Group.SOCIAL, False, False),
        "network": (None, Group.SOCIAL, False, True),
        "admin_staff": (school, Group.ADMINISTRATION, False, False),
        "coordinator": (school, Group.EDUCATORS, True, False),
        "form_tutor": (school, None, False, False),
        "outsider": (other, None, False, False),
    }
    made: dict[str, User] = {}
    for name, (user_school, group, coordinator, external) in users.items():
        made[name] = make_user(name, user_school)
        if group is not None:
            membership_set(
                office=office,
                user=made[name],
                group=group,
                is_coordinator=coordinator,
                is_external=external,
            )
    return World(school=school, other_school=other, office=office, **made)


def make_student(school: School, **fields: Any) -> Student:
    n = next(_codes)
    defaults: dict[str, Any] = {
        "code": f"S-{n:05d}",
        "first_name": "Maria",
        "last_name": f"Popescu{n}",
        "class_name": "10A",
        "programme": "Mecanic auto",
        "birth_date": datetime.date(2009, 5, 1),
    }
    defaults.update(fields)
    return Student.objects.create(school=school, **defaults)


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def objective_fields(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "description": "Attend every workshop session",
        "indicator": "attendance in workshop (%)",
        "baseline": "60%",
        "target": "90%",
        "deadline": datetime.date.today() + datetime.timedelta(days=60),
    }
    fields.update(extra)
    return fields


def advance(case: Case, world: World, to: str) -> Case:
    """Move ``case`` along the happy path up to stage ``to`` through the real services."""
    from casework.services.cases import closing_review_create
    from workflows import services

    order = ["monitoring", "shared", "intervention", "closing", "archived"]
    while order.index(case.stage) < order.index(to):
        if case.stage == "monitoring":
            services.case_transition(case=case, name="share", actor=world.coordinator)
        elif case.stage == "shared":
            if not case.objectives.exists():
                services.objective_add(case=case, actor=world.coordinator, **objective_fields())
            services.case_transition(case=case, name="start_intervention", actor=world.coordinator)
        elif case.stage == "intervention":
            services.case_transition(
                case=case, name="start_closing", actor=world.coordinator, cancel_open_tasks=True
            )
        elif case.stage == "closing":
            if not hasattr(case, "closing_review"):
                closing_review_create(
                    case=case,
                    actor=world.coordinator,
                    feedback="Student and family satisfied",
                    objectives_met="all",
                    impact="Attendance back above 90%",
                    lessons_learned="Early contact with the family mattered most",
                )
            services.case_transition(case=case, name="archive", actor=world.coordinator)
        case = reload(case)
    return case
