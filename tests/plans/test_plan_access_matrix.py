"""Who reaches each address of the action plans, asked for every role, generated from the URL
table (every pattern whose view lives in ``plans.api_plans`` or ``plans.web_plans``).

DESIGN.md's rule: the school's staff read its plans; its director, deputy directors and the
office's coordinators change them (403 for the rest of the staff); a manual value is for the
holders of the action's responsible positions; another school's people, and people of no school,
find nothing (404).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from plans.models import PlanIndicator
from tests.conftest import client_for, sign_in
from tests.factories import ROLE_NAMES
from tests.plans.plan_helpers import PLAN_ROLES, PlanStaff, one_indicator
from tests.plans.test_access_matrix import _walk

pytestmark = pytest.mark.django_db

ROLES = [*ROLE_NAMES, *PLAN_ROLES]
EDITORS = {"director", "deputy", "coordinator"}
# The test's action answers to the head of section (and the deputy director).
RESPONSIBLE = {"head", "deputy"}
STRANGERS = {"outsider", "other_director", "network"}


def plan_routes() -> set[str]:
    found = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        callback = getattr(pattern.callback, "view_class", pattern.callback)
        if callback.__module__ in ("plans.api_plans", "plans.web_plans"):
            found.add(route)
    return found


def _kwargs(indicator: PlanIndicator) -> dict[str, int]:
    action = indicator.action
    return {
        "plans/": action.objective.plan_id,
        "objectives/": action.objective_id,
        "plan-objectives/": action.objective_id,
        "actions/": action.pk,
        "plan-actions/": action.pk,
        "indicators/": indicator.pk,
        "plan-indicators/": indicator.pk,
    }


def _path(route: str, indicator: PlanIndicator) -> str:
    tail = route.removeprefix("api/").removeprefix("plans/")
    owner = "plans/"
    for prefix in (
        "plan-objectives/",
        "plan-actions/",
        "plan-indicators/",
        "objectives/",
        "actions/",
        "indicators/",
    ):
        if tail.startswith(prefix) or route.removeprefix("api/").startswith(prefix):
            owner = prefix
            break
    return "/" + route.replace("<int:pk>", str(_kwargs(indicator)[owner]))


def _expected(route: str, role: str) -> set[int]:
    if "<int:pk>" not in route:
        # The lists: read by staff; a stranger gets an empty list (API) or is refused (page).
        return {200, 403} if role in STRANGERS else {200}
    if role in STRANGERS:
        return {404}
    if route.endswith("values/"):
        return {400} if role in RESPONSIBLE else {403}  # an empty body after the role check
    if route.endswith(("objectives/", "actions/", "indicators/")):
        return {400} if role in EDITORS else {403}
    return {200}


def _ask(client: Any, path: str) -> int:
    with transaction.atomic():
        status: int = client.get(path).status_code
        if status == 405:
            status = client.post(path, {}).status_code
        transaction.set_rollback(True)
    return status


def test_it_knows_every_address_of_the_action_plans() -> None:
    assert len(plan_routes()) == 12


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_by_the_rule(plan_staff: PlanStaff, role: str) -> None:
    indicator = one_indicator(
        plan_staff, measure="manual", responsible=["head_of_section", "deputy_director"]
    )
    user = plan_staff.user(role)
    wrong = []
    for route in sorted(plan_routes()):
        client: Any = client_for(user) if route.startswith("api/") else sign_in(Client(), user)
        status = _ask(client, _path(route, indicator))
        if route.startswith("api/") and status == 201:
            status = 200
        if status not in _expected(route, role):
            wrong.append((route, status))
    assert wrong == []
