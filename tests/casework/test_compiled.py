"""Reads compiled once per shape: the ids of a later call take the stand-ins' places."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.db.models.functions import Cast

from casework import compiled
from casework.models import AuditEvent, Student
from tests.factories import World, make_student

pytestmark = pytest.mark.django_db


def _students(school: int, pk: int) -> QuerySet[Student]:
    return Student.objects.filter(school_id=school, pk__gte=pk).order_by("pk")


def test_it_reads_each_calls_own_ids_through_one_statement(world: World) -> None:
    first, second = make_student(world.school), make_student(world.other_school)
    key = ("test", "students")
    mine = compiled.statement(key, 2, _students)
    assert compiled.statement(key, 2, _students) is mine
    assert [s.pk for s in mine.objects([world.school.pk, first.pk])] == [first.pk]
    assert [s.pk for s in mine.objects([world.other_school.pk, second.pk])] == [second.pk]
    sql, params = _students(world.school.pk, first.pk).query.sql_with_params()
    assert mine.bind([world.school.pk, first.pk]) == (sql, list(params))


def test_it_refuses_a_shape_whose_id_is_not_a_parameter_of_its_own(world: World) -> None:
    def as_text(pk: int) -> QuerySet[AuditEvent]:
        # The id goes to the database as text: it could not be told from a constant.
        return AuditEvent.objects.filter(object_id=pk)

    with pytest.raises(ImproperlyConfigured):
        compiled.compile_shape(as_text, 1, "default")

    def unused(pk: int) -> QuerySet[Student]:
        return Student.objects.annotate(n=Cast("pk", output_field=Student._meta.pk))

    with pytest.raises(ImproperlyConfigured):
        compiled.compile_shape(unused, 1, "default")
