"""The nightly risk recompute: scheduled, and it brings every stored assessment up to date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from casework.models import StudentRisk
from casework.tasks import risk_recompute
from tests.factories import World, make_student


def test_it_is_scheduled_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["risk-recompute"]
    assert entry["task"] == "casework.tasks.risk_recompute"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


def test_it_recomputes_every_students_risk_as_of_today(world: World) -> None:
    students = [make_student(world.school) for _ in range(3)]
    StudentRisk.objects.create(student=students[0], as_of=datetime.date(2020, 1, 1))

    assert risk_recompute() == 3

    stored = StudentRisk.objects.filter(student__in=students)
    assert sorted(r.as_of for r in stored) == [timezone.localdate()] * 3
