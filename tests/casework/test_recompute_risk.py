"""recompute_risk: every student's stored risk, or one school's."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command

from casework.models import StudentRisk
from tests.casework.monitoring_helpers import record
from tests.factories import World, make_student


def test_it_recomputes_every_students_risk(world: World) -> None:
    mine = make_student(world.school)
    theirs = make_student(world.other_school)
    record(mine, "attendance", 80, datetime.date.today())
    StudentRisk.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_risk", stdout=out)
    assert "2 student(s) in 2 school(s)" in out.getvalue()
    assert StudentRisk.objects.get(student=mine).level == "high"
    assert StudentRisk.objects.get(student=theirs).level == "none"


def test_it_recomputes_one_school(world: World) -> None:
    make_student(world.school)
    make_student(world.other_school)
    call_command("recompute_risk", "--school", "OTHER", stdout=io.StringIO())
    assert list(StudentRisk.objects.values_list("student__school__code", flat=True)) == ["OTHER"]
