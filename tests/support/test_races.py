"""Two coordinators confirming the last place at the same moment, on PostgreSQL: exactly one
wins, the other gets 409 ``full``; the opportunity's row lock orders them."""

from __future__ import annotations

import datetime

import pytest

from casework.models import Position
from support.models import Participation
from support.services import (
    opportunity_add,
    participation_propose,
    participation_transition,
    partner_add,
)
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.factories import make_student, make_user, make_world

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_it_gives_the_last_place_to_exactly_one_of_two_confirmations() -> None:
    world = make_world()
    director = make_user("director_r", world.school)
    Position.objects.create(user=director, school=world.school, position="director")
    partner = partner_add(
        actor=world.coordinator, name="SC Fier SRL", kind="employer", country="RO"
    )
    for round_ in range(3):
        opportunity = opportunity_add(
            actor=world.coordinator,
            kind="practice_placement",
            title=f"Practică {round_}",
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 20),
            partner=partner,
            places=1,
        )
        chosen = []
        for _ in range(2):
            student = make_student(world.school, birth_date=datetime.date(2000, 1, 1))
            participation = participation_propose(
                actor=world.coordinator, opportunity=opportunity, role="learner", student=student
            )
            chosen.append(
                participation_transition(
                    actor=world.coordinator, participation=participation, name="select"
                )
            )
        statuses = race(
            [
                (world.coordinator, "post", f"/api/participations/{chosen[0].pk}/confirm/", {}),
                (director, "post", f"/api/participations/{chosen[1].pk}/confirm/", {}),
            ]
        )
        assert sorted(statuses) == [200, 409]
        confirmed = Participation.objects.filter(opportunity=opportunity, status="confirmed")
        assert confirmed.count() == 1
