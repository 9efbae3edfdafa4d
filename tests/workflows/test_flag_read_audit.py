"""A flag reads its student; that read is audited in the flag's own transaction (one commit),
and a refused flag — 403, 400 or 409, before its transaction or rolled back with it — still
leaves its read audited, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from casework.models import AuditEvent, Case, Membership, Student
from tests.conftest import client_for
from tests.factories import World

BODY = {"reason": "Absent for two weeks", "functions": ["pedagogical"]}


def _reads_of(student: Student) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.READ, object_type="student", object_id=str(student.pk)
        )
    )


def _flag(user: Any, student: Student, **body: Any) -> Any:
    payload = {"student": student.pk, **BODY, **body}
    return client_for(user).post("/api/cases/", payload, format="json")


@pytest.mark.django_db(transaction=True)
def test_it_audits_the_students_read_in_the_flags_transaction(
    world: World, student: Student
) -> None:
    blocks: dict[str, Any] = {}

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.startswith('INSERT INTO "casework_auditevent"'):
            outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
            blocks.setdefault("read" if "read" in args[0] else "other", outermost)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        response = _flag(world.teacher, student)
    assert response.status_code == 201
    assert blocks["read"] is not None, "the read was audited outside any transaction"
    assert blocks["read"] is blocks["other"], "the read was audited in a transaction of its own"
    [read] = _reads_of(student)
    assert read.actor_id == world.teacher.pk


@pytest.mark.django_db(transaction=True)
def test_it_audits_the_read_of_a_flag_refused_inside_its_transaction(
    world: World, student: Student
) -> None:
    assert _flag(world.teacher, student).status_code == 201
    before = len(_reads_of(student))
    response = _flag(world.teacher, student)
    assert response.status_code == 409
    assert len(_reads_of(student)) == before + 1
    assert Case.objects.filter(student=student).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_audits_the_read_of_a_flag_refused_for_an_office_not_operational(
    world: World, student: Student
) -> None:
    Membership.objects.filter(user=world.admin_staff).update(active=False)
    assert _flag(world.teacher, student).status_code == 409
    assert len(_reads_of(student)) == 1
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"reason": ""}, {"functions": ["magic"]}])
def test_it_audits_the_read_of_a_flag_refused_as_invalid(
    body: dict[str, Any], world: World, student: Student
) -> None:
    assert _flag(world.teacher, student, **body).status_code == 400
    assert len(_reads_of(student)) == 1


@pytest.mark.django_db
def test_it_audits_the_read_of_a_flag_refused_to_someone_not_on_the_schools_staff(
    world: World, student: Student
) -> None:
    # An internal office member who is not staff of the school sees its students, may not flag.
    world.psychologist.school = None
    world.psychologist.save(update_fields=["school"])
    assert _flag(world.psychologist, student).status_code == 403
    [read] = _reads_of(student)
    assert read.actor_id == world.psychologist.pk
