"""Who sees an activity and who keeps its list, asked of every address that takes an activity's
id — the API and the pages alike — for every role.

The addresses are found in the URL table (every pattern of the counselling views that takes an
id); a new one that is not given a request below fails the coverage test, naming it. The rule
is DESIGN.md's: the author, and the school's career counsellors, deputy director, director and
quality commission read; only the author keeps the attendance list. Invisible is 404 before
forbidden is 403.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casework.models import Position, User
from counselling import policies
from counselling.models import Activity
from counselling.services import activity_record
from tests.conftest import sign_in
from tests.counselling.conftest import STAFF_ROLES, Staff
from tests.factories import ROLE_NAMES, make_user

pytestmark = pytest.mark.django_db

ROLES = [*ROLE_NAMES, *STAFF_ROLES, "other_director"]
WRITE = "write"
READ = "read"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def counselling_routes() -> set[str]:
    found = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        callback = getattr(pattern.callback, "view_class", pattern.callback)
        # Reports have their own matrix (test_report_api_matrix.py).
        if (
            callback.__module__.startswith("counselling")
            and "<int:pk>" in route
            and "reports/" not in route
        ):
            found.add(route)
    return found


Request = Callable[[Client, int], Any]


def _upload(client: Client, url: str) -> Any:
    return client.post(url, {"file": io.BytesIO(b"code\n")})


# route → (what it does, how to ask it)
FRONTS: dict[str, tuple[str, Request]] = {
    "api/activities/<int:pk>/": (READ, lambda c, pk: c.get(f"/api/activities/{pk}/")),
    "api/activities/<int:pk>/attendance/": (
        WRITE,
        lambda c, pk: c.put(
            f"/api/activities/{pk}/attendance/", {"students": []}, content_type="application/json"
        ),
    ),
    "api/activities/<int:pk>/attendance.pdf": (
        READ,
        lambda c, pk: c.get(f"/api/activities/{pk}/attendance.pdf"),
    ),
    "activities/<int:pk>/": (READ, lambda c, pk: c.get(f"/activities/{pk}/")),
    "activities/<int:pk>/import/": (WRITE, lambda c, pk: _upload(c, f"/activities/{pk}/import/")),
    "activities/<int:pk>/attendance.pdf": (
        READ,
        lambda c, pk: c.get(f"/activities/{pk}/attendance.pdf"),
    ),
}
# The attendance GET of the API and the page's POST share their routes with the fronts above.
EXTRA: dict[str, tuple[str, Request]] = {
    "api attendance read": (READ, lambda c, pk: c.get(f"/api/activities/{pk}/attendance/")),
    "page attendance save": (WRITE, lambda c, pk: c.post(f"/activities/{pk}/", {"students": []})),
}


def test_it_asks_every_address_that_takes_an_activity() -> None:
    assert counselling_routes() == set(FRONTS), "give each new address a request in FRONTS"


@pytest.fixture
def scene(staff: Staff) -> tuple[Staff, dict[str, Activity]]:
    other_director = make_user("other_director", staff.world.other_school)
    Position.objects.create(
        user=other_director, school=staff.world.other_school, position="director"
    )
    staff.__dict__["other_director"] = other_director
    day = datetime.date.today()
    activities = {
        "tutor's class hour": activity_record(
            actor=staff.tutor,
            kind="group",
            channel="direct",
            topic="career_routes",
            title="t",
            held_on=day,
            duration_minutes=50,
            class_name="10A",
        ),
        "psychologist's talk": activity_record(
            actor=staff.world.psychologist,
            kind="individual",
            channel="direct",
            topic="dropout_prevention",
            title="p",
            held_on=day,
            duration_minutes=30,
            student=staff.students[0],
        ),
    }
    return staff, activities


def expected(user: User, activity: Activity, what: str) -> int:
    reads = user.pk == activity.author_id or (
        user.school_id == activity.school_id and policies.reads_school_activities(user)
    )
    if not reads:
        return 404
    if what == WRITE and user.pk != activity.author_id:
        return 403
    return -1  # allowed: anything but 403/404


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_by_the_rule(
    scene: tuple[Staff, dict[str, Activity]], role: str
) -> None:
    staff, activities = scene
    user = staff.user(role)
    client = sign_in(Client(), user)
    wrong = []
    for activity_name, activity in activities.items():
        for front, (what, ask) in {**FRONTS, **EXTRA}.items():
            status = ask(client, activity.pk).status_code
            want = expected(user, activity, what)
            ok = status == want if want > 0 else status not in (403, 404)
            if not ok:
                wrong.append(f"{front} on {activity_name}: {status}, expected {want}")
    assert not wrong, wrong
