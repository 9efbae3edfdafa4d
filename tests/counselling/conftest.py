"""The school's duties for the counselling tests: a form tutor of 10A who is also the study
counsellor, a career counsellor, the deputy director, the director and CEIAC."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from casework.models import Position, Student, User
from tests.factories import World, make_student, make_user


@dataclass
class Staff:
    world: World
    tutor: User
    counsellor: User
    deputy: User
    director: User
    ceiac: User
    students: list[Student]

    def user(self, name: str) -> User:
        if hasattr(self, name):
            user: User = getattr(self, name)
            return user
        return self.world.user(name)


STAFF_ROLES = ["tutor", "counsellor", "deputy", "director", "ceiac"]


@pytest.fixture
def staff(world: World) -> Staff:
    school = world.school
    held = {
        "tutor": [("form_tutor", "10A"), ("study_counsellor", "")],
        "counsellor": [("career_counsellor", "")],
        "deputy": [("deputy_director", "")],
        "director": [("director", "")],
        "ceiac": [("quality_commission", "")],
    }
    users = {}
    for name, positions in held.items():
        users[name] = make_user(f"{name}_c", school)
        for position, class_name in positions:
            Position.objects.create(
                user=users[name], school=school, position=position, class_name=class_name
            )
    students = [
        make_student(school, class_name="10A", last_name="Avram", first_name="Ana"),
        make_student(school, class_name="10A", last_name="Barbu", first_name="Bogdan"),
        make_student(school, class_name="10A", last_name="Cazacu", first_name="Carmen"),
        make_student(school, class_name="11B", last_name="Dinu", first_name="Dan"),
    ]
    return Staff(world=world, students=students, **users)
