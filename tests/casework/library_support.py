"""Builders for the library tests: an archived case with consent for reuse, and a register."""

from __future__ import annotations

import datetime
from typing import Any

from casework.models import Case, LibraryEntry, School, Student
from casework.services.consents import consent_record
from casework.services.library import library_entry_mark_published
from tests.factories import World, advance, make_student
from workflows.services import case_flag, library_entry_draft


def fill_register(
    school: School,
    count: int,
    *,
    programme: str = "Mecanic auto",
    birth_date: datetime.date = datetime.date(2009, 5, 1),
) -> list[Student]:
    return [make_student(school, programme=programme, birth_date=birth_date) for _ in range(count)]


def archived_case(
    world: World, *, consent: bool = True, student: Student | None = None, **student_fields: Any
) -> Case:
    student = student or make_student(world.school, **student_fields)
    case = case_flag(
        student=student,
        actor=world.teacher,
        reason="Absent a lot from the workshop",
        functions=["pedagogical", "socio_economic"],
    )
    case = advance(case, world, "archived")
    if consent:
        consent_record(
            case=case,
            actor=world.coordinator,
            scope="library",
            given_by="parent",
            given_by_name="Elena Vasilescu",
        )
    return case


def published_entry(world: World, case: Case | None = None) -> LibraryEntry:
    case = case or archived_case(world)
    draft = library_entry_draft(case=case, actor=world.coordinator)
    return library_entry_mark_published(entry=draft, actor=world.psychologist)
