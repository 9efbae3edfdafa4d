"""Every page of the URL table, opened in Romanian on a 390 px phone with the demo data: none
is wider than the screen, none shows an English message or a cedilla. The list of pages is the
URL table itself, so a new page is checked the day it is added; a new kind of URL parameter
fails here until the test knows which demo object to open it with."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import requires_chromium
from tests.browser.pages import PHONE, check
from tests.conftest import requires_postgres

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000
# Whoever may open the page, in this order: the first who gets it is the one checked.
ROLES: list[str | None] = ["coordinator", "psychologist", "teacher", "network", "admin_staff"]
ROLES += ["counsellor"]
# The demo's claimed task is held by the second psychologist: only its holder opens it.
ROLES += ["psychologist2", None]
# Not pages: the API and the admin (checked on their own), writes that answer only POST, the
# calendar feed (text/calendar), the JavaScript catalogue, viewflow's redirecting indexes.
SKIPPED = re.compile(r"^(api/|admin/|jsi18n/|calendar/|i18n/)")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _demo_objects() -> dict[str, Callable[[str], str]]:
    """For each URL parameter, the demo object to open a route with (by the route's prefix)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from casework.instrument_defaults import ensure_default_instrument
    from casework.models import (
        Case,
        ClassAssignment,
        Consent,
        Instrument,
        InstrumentLink,
        Item,
        LibraryEntry,
        Objective,
        Student,
        Subscale,
        User,
    )
    from casework.services.instruments import instrument_link_create
    from counselling.services import activity_record

    # Found by name: which app holds the meeting records is the code's business, not this test's.
    AgendaItem, Meeting = (_model("AgendaItem"), _model("Meeting"))
    case = Case.objects.filter(stage="intervention").first() or Case.objects.first()
    assert case is not None
    archived = Case.objects.filter(stage="archived").first() or case
    teacher = User.objects.get(username="teacher")
    # A student of the teacher's classes, not flagged yet: the flag form and a questionnaire.
    unflagged = Student.objects.filter(
        cases__isnull=True,
        class_name__in=ClassAssignment.objects.filter(user=teacher).values("class_name"),
    ).first()
    assert unflagged is not None
    meeting = Meeting.objects.first()
    assert meeting is not None
    item = AgendaItem.objects.filter(meeting=meeting).first()
    _, token = instrument_link_create(
        student=unflagged,
        instrument=ensure_default_instrument(Instrument, Subscale, Item),
        actor=teacher,
    )
    link = InstrumentLink.objects.first()
    entry = LibraryEntry.objects.first()
    objective = Objective.objects.filter(case=case).first() or Objective.objects.first()
    consent = Consent.objects.first()
    activity = activity_record(
        actor=User.objects.get(username="coordinator"),
        kind="group",
        channel="direct",
        topic="dropout_prevention",
        title="Prevenirea abandonului școlar",
        held_on=datetime.date.today(),
        duration_minutes=50,
        class_name=unflagged.class_name,
    )
    # The demo holds a report in each state; the submitted one opens for the receivers too.
    report = _model("Report").objects.get(status="submitted", author__username="form_tutor")
    # <pk> means a different record under each prefix.
    opportunity = _model("Opportunity").objects.order_by("pk").first()
    plan = _model("ActionPlan").objects.order_by("pk").first()
    partner = _model("Partner").objects.order_by("pk").first()
    by_prefix = {
        "reports/": report.pk,
        "opportunities/partners/": partner.pk if partner else 0,
        "opportunities/objectives/": objective.pk if objective else 0,
        "opportunities/": opportunity.pk if opportunity else 0,
        "plans/": plan.pk if plan else 0,
        "activities/": activity.pk,
        "tasks/": _task_pk(),
        "cases/": case.pk,
        "students/": case.student_id,
        "library/": entry.pk if entry else 0,
        "meetings/": meeting.pk,
        "referrals/": 0,
        "account/": 0,
    }
    return {
        "pk": lambda route: str(next(v for p, v in by_prefix.items() if route.startswith(p))),
        "student_pk": lambda route: str(unflagged.pk),
        "case_pk": lambda route: str(archived.pk),
        "item_pk": lambda route: str(item.pk if item else 0),
        "objective_pk": lambda route: str(objective.pk if objective else 0),
        "consent_pk": lambda route: str(consent.pk if consent else 0),
        "link_pk": lambda route: str(link.pk if link else 0),
        "area": lambda route: "academic",
        # A report's file is a PDF; an opportunity's participant list a CSV.
        "fmt": lambda route: "csv" if route.startswith("opportunities/") else "pdf",
        "action": lambda route: "register",
        "code": lambda route: "DEMO",
        "name": lambda route: "share",
        "token": lambda route: token,
        "uidb64": lambda route: urlsafe_base64_encode(force_bytes(teacher.pk)),
        "token_reset": lambda route: default_token_generator.make_token(teacher),
    }


def _model(name: str) -> Any:
    from django.apps import apps

    return next(model for model in apps.get_models() if model.__name__ == name)


def _task_pk() -> int:
    from viewflow.workflow.models import Task

    # A case's task (the reports' steps are viewflow tasks too, with pages of their own).
    tasks = Task.objects.filter(status="ASSIGNED", case_task__isnull=False)
    task = tasks.filter(owner__username="coordinator").first() or tasks.first()
    assert task is not None
    return int(task.pk)


def _paths() -> list[str]:
    objects = _demo_objects()
    paths = []
    for route in sorted(set(_routes(get_resolver().url_patterns))):
        if SKIPPED.match(route):
            continue

        def fill(match: re.Match[str], route: str = route) -> str:
            name = match.group(1)
            if name == "token" and route.startswith("accounts/reset/"):
                name = "token_reset"
            assert name in objects, f"{route}: which demo object opens <{name}>?"
            return objects[name](route)

        paths.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route))
    return paths


def _login(browser: Any, base: str, username: str | None) -> Any:
    page = browser.new_context(locale="ro-RO", viewport=PHONE).new_page()
    page.set_default_timeout(TIMEOUT)
    if username:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo")
        page.click("form.ao-login button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _server_passwords() -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.update(password=password)


def test_it_fits_a_phone_and_speaks_romanian_on_every_page(server: str, browser: Any) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    _server_passwords()
    paths = _paths()
    pages: dict[str | None, Any] = {}
    problems: dict[str, list[str]] = {}
    unopened = []
    for path in paths:
        for role in ROLES:
            if role not in pages:
                pages[role] = _login(browser, server, role)
            page = pages[role]
            # Asked first without the page. Not a page to look at: a write (405), a redirect to
            # another page of the table (3xx, for someone logged in), a live row that is not on
            # this person's list (204).
            probe = page.request.get(server + path, max_redirects=0)
            if probe.status in (204, 405) or (role and 300 <= probe.status < 400):
                break
            if probe.status != 200:
                continue
            if "text/html" not in (probe.headers.get("content-type") or ""):
                break
            page.goto(server + path)
            found = check(page)
            if found:
                problems[f"{role} {path}"] = found
            break
        else:
            unopened.append(path)
    assert problems == {}
    assert unopened == []
