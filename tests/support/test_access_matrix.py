"""Who reaches a partner, an opportunity, a participation and a student's consents, asked of
every address that takes an id — the API and the pages alike — for every role.

The addresses are read from the URL table (every pattern of the support views that takes an
id); a new one without a request below fails the coverage test, naming it. The rule is
DESIGN.md's: the school's staff read the catalogue and its partners; managers (coordinators,
the office's groups 3 and 4, the director, deputy director and heads of section) write and see
every participant; a participation linked to a case is seen by those who see the case too.
Invisible is 404 before forbidden is 403. An objective's evidence follows the objective's rule:
those who see the case read it; its reviewers (coordinators, its owner, holders of the case's
tasks) link a participation to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casework.models import Case, Objective, Position, User
from casework.selectors import students_visible_to, user_may_see_case
from support import policies
from support.models import Participation
from support.services import participation_propose
from tests.conftest import sign_in
from tests.factories import ROLE_NAMES, make_student, make_user
from tests.support.conftest import SCENE_ROLES, START, Scene
from workflows.policies import can_review_objective

pytestmark = pytest.mark.django_db

ROLES = [*ROLE_NAMES, *SCENE_ROLES, "other_director"]
READ, WRITE = "read", "write"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def support_routes() -> set[str]:
    found = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        callback = getattr(pattern.callback, "view_class", pattern.callback)
        if callback.__module__.startswith("support") and "<int:pk>" in route:
            found.add(route)
    return found


Request = Callable[[Client, int], Any]


def _post(url: str, body: dict[str, Any] | None = None) -> Request:
    return lambda c, pk: c.post(url.format(pk=pk), body or {}, content_type="application/json")


def _get(url: str) -> Request:
    return lambda c, pk: c.get(url.format(pk=pk))


# route → (object kind, what it does, how to ask it)
FRONTS: dict[str, tuple[str, str, Request]] = {
    "api/partners/<int:pk>/": ("partner", READ, _get("/api/partners/{pk}/")),
    "api/partners/<int:pk>/agreements/": (
        "partner",
        WRITE,
        _post("/api/partners/{pk}/agreements/", {"purpose": "x"}),
    ),
    "api/partners/<int:pk>/contacts/": (
        "partner",
        WRITE,
        _post("/api/partners/{pk}/contacts/", {"name": ""}),
    ),
    "api/opportunities/<int:pk>/": ("opportunity", READ, _get("/api/opportunities/{pk}/")),
    "api/opportunities/<int:pk>/participants/": (
        "opportunity",
        WRITE,
        _post("/api/opportunities/{pk}/participants/", {"role": "x"}),
    ),
    "api/participations/<int:pk>/": (
        "participation",
        READ,
        _get("/api/participations/{pk}/"),
    ),
    "api/participations/<int:pk>/dossier/": (
        "participation",
        WRITE,
        _post("/api/participations/{pk}/dossier/", {"item": "x"}),
    ),
    "api/participations/<int:pk>/outcome/": (
        "participation",
        WRITE,
        _post("/api/participations/{pk}/outcome/", {"hours_done": -1}),
    ),
    "api/participations/<int:pk>/<str:name>/": (
        "participation",
        WRITE,
        _post("/api/participations/{pk}/start/"),
    ),
    "api/students/<int:pk>/consents/": (
        "student",
        WRITE,
        _post("/api/students/{pk}/consents/", {"scope": "x"}),
    ),
    "opportunities/<int:pk>/": ("opportunity", READ, _get("/opportunities/{pk}/")),
    "opportunities/<int:pk>/propose/": (
        "opportunity",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/{pk}/propose/", {"role": "x"}),
    ),
    "opportunities/participations/<int:pk>/consent/": (
        "participation",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/participations/{pk}/consent/", {"given_by": "x"}),
    ),
    "opportunities/participations/<int:pk>/<str:name>/": (
        "participation",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/participations/{pk}/start/"),
    ),
    "api/opportunities/<int:pk>/participants.<str:fmt>": (
        "opportunity",
        READ,
        _get("/api/opportunities/{pk}/participants.xlsx"),
    ),
    "opportunities/<int:pk>/participants.<str:fmt>": (
        "opportunity",
        READ,
        _get("/opportunities/{pk}/participants.csv"),
    ),
    "opportunities/partners/<int:pk>/": ("partner", READ, _get("/opportunities/partners/{pk}/")),
    "opportunities/partners/<int:pk>/agreements/": (
        "partner",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/partners/{pk}/agreements/", {"purpose": "x"}),
    ),
    "opportunities/partners/<int:pk>/contacts/": (
        "partner",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/partners/{pk}/contacts/", {"name": ""}),
    ),
    "api/objectives/<int:pk>/evidence/": (
        "objective",
        WRITE,
        _post("/api/objectives/{pk}/evidence/", {"participation": ""}),
    ),
    "opportunities/objectives/<int:pk>/evidence/": (
        "objective",
        WRITE,
        lambda c, pk: c.post(f"/opportunities/objectives/{pk}/evidence/", {"participation": ""}),
    ),
}
EXTRA: dict[str, tuple[str, str, Request]] = {
    "api agreements list": ("partner", READ, _get("/api/partners/{pk}/agreements/")),
    "api participants list": ("opportunity", READ, _get("/api/opportunities/{pk}/participants/")),
    "api consents list": ("student", WRITE, _get("/api/students/{pk}/consents/")),
    "api evidence list": ("objective", READ, _get("/api/objectives/{pk}/evidence/")),
}


def test_it_asks_every_address_that_takes_an_id() -> None:
    assert support_routes() == set(FRONTS), "give each new address a request in FRONTS"


@pytest.fixture
def objects(scene: Scene, case: Case) -> dict[str, dict[str, Any]]:
    other_director = make_user("other_director", scene.world.other_school)
    Position.objects.create(
        user=other_director, school=scene.world.other_school, position="director"
    )
    scene.__dict__["other_director"] = other_director
    opportunity = scene.opportunity("short_term_mobility", days=20)
    linked = participation_propose(
        actor=scene.world.coordinator,
        opportunity=opportunity,
        role="learner",
        student=case.student,
        case=case,
    )
    plain = participation_propose(
        actor=scene.world.coordinator,
        opportunity=opportunity,
        role="learner",
        student=make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1)),
    )
    return {
        "partner": {"the partner": scene.partner},
        "opportunity": {"the mobility": opportunity},
        "participation": {"linked to the case": linked, "without a case": plain},
        "student": {"the case's student": case.student},
        "objective": {
            "the case's objective": Objective.objects.create(
                case=case,
                description="Attends the placement",
                indicator="days attended",
                baseline="0",
                target="10",
                deadline=START + datetime.timedelta(days=60),
                created_by=scene.world.coordinator,
            )
        },
    }


def expected(user: User, kind: str, obj: Any, what: str) -> int:
    if kind == "objective":
        if not user_may_see_case(user, obj.case):
            return 404
        return 403 if what == WRITE and not can_review_objective(user, obj) else -1
    if kind == "student":
        if not students_visible_to(user).filter(pk=obj.pk).exists():
            return 404
        return -1 if policies.is_manager(user, obj.school_id) else 403
    if kind == "participation":
        manages = policies.is_manager(user, obj.opportunity.school_id)
        sees_case = obj.case is not None and user_may_see_case(user, obj.case)
        if not (manages or sees_case):
            return 404
        return 403 if what == WRITE and not manages else -1
    if not policies.reads_catalogue(user, obj.school_id):
        return 404
    return 403 if what == WRITE and not policies.is_manager(user, obj.school_id) else -1


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_by_the_rule(
    scene: Scene, objects: dict[str, dict[str, Any]], role: str
) -> None:
    user = scene.__dict__.get(role) or scene.user(role)
    client = sign_in(Client(), user)
    wrong = []
    for front, (kind, what, ask) in {**FRONTS, **EXTRA}.items():
        for label, obj in objects[kind].items():
            status = ask(client, obj.pk).status_code
            want = expected(user, kind, obj, what)
            ok = status == want if want > 0 else status not in (403, 404)
            if not ok:
                wrong.append(f"{front} on {label}: {status}, expected {want}")
    assert not wrong, wrong


def test_it_sees_the_rule_through_the_participation_list(
    scene: Scene, objects: dict[str, dict[str, Any]]
) -> None:
    linked = objects["participation"]["linked to the case"]
    assert Participation.objects.count() == 2
    teacher = sign_in(Client(), scene.world.teacher)
    rows = teacher.get(f"/api/opportunities/{linked.opportunity_id}/participants/").json()[
        "results"
    ]
    assert [row["id"] for row in rows] == [linked.pk]
