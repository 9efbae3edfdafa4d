"""Racing meeting work on PostgreSQL: decisions on one case, and readers refreshing one agenda."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.factories import advance, make_student, make_world, objective_fields
from workflows import services
from workflows.models import AgendaItem, CaseTask, Decision

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_it_carries_out_exactly_one_of_two_racing_decisions() -> None:
    world = make_world()
    for _ in range(5):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["pedagogical"],
        )
        case = advance(case, world, "shared")
        services.objective_add(case=case, actor=world.coordinator, **objective_fields())
        meeting = services.meeting_schedule(
            office=world.office,
            actor=world.coordinator,
            scheduled_for=timezone.now(),
        )
        body = {
            "case": case.pk,
            "kind": "transition",
            "transition": "start_intervention",
            "text": "Start",
        }
        path = f"/api/meetings/{meeting.pk}/decisions/"
        statuses = race([(world.coordinator, "post", path, body)] * 2)
        assert sorted(statuses) == [201, 409]
        assert Decision.objects.filter(case=case).count() == 1
        assert CaseTask.objects.filter(case=case, name="pedagogical").count() == 1


def test_it_lets_readers_refresh_one_agenda_at_once() -> None:
    world = make_world()
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    for _ in range(5):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["pedagogical"],
        )
        advance(case, world, "shared")
        path = f"/api/meetings/{meeting.pk}/agenda/"
        readers = [world.teacher, world.psychologist, world.social, world.coordinator]
        statuses = race([(user, "get", path, None) for user in readers])
        assert statuses == [200] * 4
        assert AgendaItem.objects.filter(meeting=meeting, case=case).count() == 1
