"""Who reads the outcomes, asked of every address of the plans app for every role.

The addresses come from the URL table (every pattern whose view lives in ``plans``); a new one
that is not given a request below fails the coverage test, naming it. The rule is DESIGN.md's:
coordinators, the director, the deputy director and the quality commission read (each their own
school's); everyone else is refused with 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casework.models import User
from tests.conftest import sign_in
from tests.factories import ROLE_NAMES, World

pytestmark = pytest.mark.django_db

READERS = {"coordinator", "director", "deputy", "ceiac", "other_director"}
ROLES = [*ROLE_NAMES, "director", "deputy", "ceiac", "other_director", "tutor"]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def plans_routes() -> set[str]:
    found = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        callback = getattr(pattern.callback, "view_class", pattern.callback)
        # The outcomes' views (action plans have their own matrix: test_plan_access_matrix.py).
        if callback.__module__ in ("plans.api", "plans.web"):
            found.add(route)
    return found


def test_it_asks_every_address_of_the_plans_app() -> None:
    assert plans_routes() == {
        "api/office/kpis/",
        "api/office/effectiveness/",
        "api/office/kpis.xlsx",
        "outcomes/",
        "outcomes/outcomes.xlsx",
    }


def _user(world: World, readers: dict[str, User], role: str) -> User:
    return readers[role] if role in readers else world.user(role)


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_by_the_rule(
    world: World, readers: dict[str, User], role: str
) -> None:
    client = sign_in(Client(), _user(world, readers, role))
    want = 200 if role in READERS else 403
    got = {route: client.get(f"/{route}").status_code for route in sorted(plans_routes())}
    assert got == dict.fromkeys(got, want)


def test_it_sends_a_stranger_to_sign_in() -> None:
    assert Client().get("/outcomes/").status_code == 302
    assert Client().get("/api/office/kpis/").status_code in (401, 403)
