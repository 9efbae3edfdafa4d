"""The hot path's reads compiled once per shape (casework.compiled) are the statements their
QuerySets compile to afresh — for every kind of user, case and task — and read the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from casework import selectors as casework_selectors
from casework.compiled import Shape
from casework.models import Case, Student
from tests.factories import ROLE_NAMES, World, advance
from workflows import selectors, services
from workflows.models import CaseTask
from workflows.services.cases import _flag_facts

pytestmark = pytest.mark.django_db


def _same_as_afresh(shape: Shape) -> None:
    statement = shape.statement()
    afresh = shape.build(*shape.values).query.get_compiler("default").as_sql()
    assert (statement.sql, statement.params(shape.values)) == (afresh[0], list(afresh[1]))


@pytest.mark.parametrize("stage", ["monitoring", "intervention"])
@pytest.mark.parametrize("exclude", [None, "psychologist", "teacher"])
def test_it_selects_who_a_task_is_offered_to_as_the_queryset_does(
    stage: str, exclude: str | None, world: World, student: Student
) -> None:
    case = services.case_flag(
        student=student,
        actor=world.teacher,
        reason="r",
        functions=["information", "pedagogical", "socio_economic"],
    )
    case = advance(case, world, stage)
    excluded = world.user(exclude) if exclude else None
    for task in CaseTask.objects.filter(case=case).select_related("case__office"):
        shape = selectors.users_offered_shape(task, excluded)
        assert shape is not None
        _same_as_afresh(shape)
        offered = set(selectors.users_offered(task).values_list("pk", flat=True))
        offered.discard(getattr(excluded, "pk", None))
        sql, params = selectors.users_offered_ids(task, exclude=excluded)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(sql, params)
            assert {row[0] for row in cursor.fetchall()} == offered


def test_it_reads_what_a_flag_needs_as_the_queryset_does(world: World, case: Case) -> None:
    shape = Shape(("flag_facts",), [case.student_id, case.office_id], _flag_facts)
    _same_as_afresh(shape)
    with transaction.atomic():
        [known] = shape.statement().values(shape.values)
        assert known == _flag_facts(case.student_id, case.office_id).get()
    assert known["latest_case"] == case.pk and known["latest_open"] is True


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_it_fetches_a_student_as_the_queryset_does(
    name: str, world: World, student: Student
) -> None:
    user = world.user(name)
    shape = casework_selectors._student_fetch_shape(user, student.pk)
    afresh = [s.pk for s in casework_selectors._student_fetch(user, student.pk)]
    if shape is None:
        return
    _same_as_afresh(shape)
    fetched: list[Any] = list(shape.statement().objects(shape.values))
    assert [s.pk for s in fetched] == afresh
    if fetched:
        assert fetched[0].school.office.pk == world.office.pk
