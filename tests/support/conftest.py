"""The support tests' scene: the DEMO world, a director and a deputy director, a partner with a
practice agreement, and helpers that make opportunities through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from casework.models import Position, User
from support.models import Opportunity, Partner
from support.services import opportunity_add, partner_add
from tests.factories import World, make_user

START = datetime.date(2026, 3, 2)


@dataclass
class Scene:
    world: World
    director: User
    deputy: User
    partner: Partner

    def user(self, name: str) -> User:
        if name in ("director", "deputy"):
            user: User = getattr(self, name)
            return user
        return self.world.user(name)

    def opportunity(
        self, kind: str = "practice_placement", days: int = 10, **extra: Any
    ) -> Opportunity:
        fields: dict[str, Any] = {
            "title": f"{kind} at the partner",
            "starts_on": START,
            "ends_on": START + datetime.timedelta(days=days - 1),
            "partner": self.partner,
        }
        fields.update(extra)
        return opportunity_add(actor=self.world.coordinator, kind=kind, **fields)


SCENE_ROLES = ["director", "deputy"]


@pytest.fixture
def scene(world: World) -> Scene:
    director = make_user("director_s", world.school)
    Position.objects.create(user=director, school=world.school, position="director")
    deputy = make_user("deputy_s", world.school)
    Position.objects.create(user=deputy, school=world.school, position="deputy_director")
    partner = partner_add(
        actor=world.coordinator,
        name="SC Auto Service SRL",
        kind="employer",
        country="RO",
        city="Cluj",
    )
    return Scene(world=world, director=director, deputy=deputy, partner=partner)
