"""Each page makes the same number of queries for 10 cases as for 200 (no query per row)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


def _flag(world: World, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        student = make_student(world.school)
        cases.append(
            services.case_flag(
                student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
            )
        )
    return cases


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _same_for_10_and_200(world: World, pages: dict[str, Callable[[], str]]) -> None:
    cases = _flag(world, 10)
    # Some variety: a shared case, a claimed task, an intervention with a plan.
    advance(cases[0], world, "intervention")
    services.task_claim(
        case_task=CaseTask.objects.filter(case=cases[1]).first(),  # type: ignore[arg-type]
        actor=world.psychologist,
    )
    clients = {user: _client(world.user(user)) for user in {key.split(" ")[0] for key in pages}}
    small = {key: _queries(clients[key.split(" ")[0]], url()) for key, url in pages.items()}
    _flag(world, 190)
    large = {key: _queries(clients[key.split(" ")[0]], url()) for key, url in pages.items()}
    assert small == large


def test_it_keeps_list_pages_constant_in_queries(world: World) -> None:
    _same_for_10_and_200(
        world,
        {
            "psychologist queue": lambda: "/tasks/queue/",
            "psychologist inbox": lambda: "/tasks/inbox/",
            "psychologist archive": lambda: "/tasks/archive/",
            "psychologist cases": lambda: "/cases/",
            "teacher flagged": lambda: "/cases/flagged/",
            "teacher students": lambda: "/students/",
            "coordinator dashboard": lambda: "/office/",
            "coordinator notifications": lambda: "/notifications/",
        },
    )


def test_it_keeps_the_case_page_constant_in_queries(world: World) -> None:
    student = make_student(world.school)
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
    )
    case = advance(case, world, "intervention")
    client = _client(world.coordinator)
    small = _queries(client, f"/cases/{case.pk}/")
    # Many more timeline events on the same case: the pedagogical task claimed and given back.
    case_task = CaseTask.objects.get(case=case, name="pedagogical")
    for _ in range(20):
        services.task_claim(case_task=case_task, actor=world.psychologist)
        case_task = services.task_release(case_task=case_task, actor=world.psychologist)
    assert case.events.count() > 40
    assert _queries(client, f"/cases/{case.pk}/") == small


def _warm_queries(client: Client, url: str) -> int:
    """Pages that bring stored data up to date on read (risk, the agenda) write on the first
    visit after a change; the count that must not grow is the steady one."""
    _queries(client, url)
    return _queries(client, url)


def test_it_keeps_the_watchlist_and_student_pages_constant_in_queries(world: World) -> None:
    from casework.models import ClassAssignment
    from tests.casework.monitoring_helpers import record

    ClassAssignment.objects.create(user=world.teacher, school=world.school, class_name="10A")
    today = timezone.localdate()

    def students(count: int) -> None:
        for n in range(count):
            student = make_student(world.school)
            record(student, "attendance", 80 + n % 20, today - datetime.timedelta(days=1))
            record(student, "behaviour", 1, today - datetime.timedelta(days=2))

    students(10)
    student = make_student(world.school)
    pages = {
        "teacher": "/students/watchlist/",
        "psychologist": "/students/watchlist/?scope=school",
        "coordinator": "/students/watchlist/?level=high",
    }
    clients = {user: _client(world.user(user)) for user in pages}
    small = {user: _warm_queries(clients[user], url) for user, url in pages.items()}
    detail = _warm_queries(clients["teacher"], f"/students/{student.pk}/")
    students(190)
    for n in range(60):
        record(student, "observation", f"Note {n}", today - datetime.timedelta(days=n % 30))
    assert {user: _warm_queries(clients[user], url) for user, url in pages.items()} == small
    assert _warm_queries(clients["teacher"], f"/students/{student.pk}/") == detail


def test_it_keeps_the_meeting_pages_and_dashboard_constant_in_queries(world: World) -> None:
    from workflows import services

    def shared(count: int) -> None:
        for case in _flag(world, count):
            services.case_transition(case=case, name="share", actor=world.coordinator)

    def schedule(count: int, start: int) -> None:
        for n in range(count):
            services.meeting_schedule(
                office=world.office,
                actor=world.coordinator,
                scheduled_for=timezone.now() + datetime.timedelta(days=30 + start + n),
            )

    shared(10)
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    schedule(9, 0)
    coordinator = _client(world.coordinator)
    psychologist = _client(world.psychologist)
    urls = {
        "meeting coordinator": (coordinator, f"/meetings/{meeting.pk}/"),
        "meeting member": (psychologist, f"/meetings/{meeting.pk}/"),
        "list": (coordinator, "/meetings/"),
        "dashboard": (coordinator, "/office/"),
    }
    small = {key: _warm_queries(client, url) for key, (client, url) in urls.items()}
    assert meeting.agenda_items.count() == 10
    # Six times the items and meetings: a query per row would show; more only costs CI time.
    shared(50)
    schedule(50, 10)
    large = {key: _warm_queries(client, url) for key, (client, url) in urls.items()}
    assert meeting.agenda_items.count() == 60
    assert large == small


def test_it_keeps_the_referrals_and_library_pages_constant_in_queries(world: World) -> None:
    from casework.models import LibraryEntry, Referral
    from casework.services.consents import consent_record

    case = advance(_flag(world, 1)[0], world, "shared")
    consent = consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="Elena Pop",
        recipient_user=world.network,
        purpose="Scholarship",
    )

    def rows(count: int) -> None:
        Referral.objects.bulk_create(
            Referral(
                case=case,
                to_user=world.network,
                purpose="Scholarship",
                consent=consent,
                requested_by=world.coordinator,
            )
            for _ in range(count)
        )
        LibraryEntry.objects.bulk_create(
            LibraryEntry(
                status="published",
                office=world.office,
                title=f"Absenteism {n}",
                situation="Absent from the workshop",
                search_text="absenteism absent from the workshop",
                tags=["function:pedagogical", "outcome:all"],
                facts={"functions": ["pedagogical"], "outcome": {"objectives_met": "all"}},
                published_at=timezone.now(),
            )
            for n in range(count)
        )
        LibraryEntry.objects.bulk_create(
            LibraryEntry(
                status="draft", office=world.office, title=f"Draft {n}", author=world.coordinator
            )
            for n in range(count)
        )

    rows(10)
    pages = {
        "network incoming": (_client(world.network), "/referrals/"),
        "coordinator visible": (_client(world.coordinator), "/referrals/?scope=visible"),
        "coordinator case": (_client(world.coordinator), f"/cases/{case.pk}/"),
        "teacher library": (_client(world.teacher), "/library/"),
        "teacher library filtered": (
            _client(world.teacher),
            "/library/?function=pedagogical&outcome=all",
        ),
        "psychologist drafts": (_client(world.psychologist), "/library/drafts/"),
    }
    small = {key: _queries(client, url) for key, (client, url) in pages.items()}
    rows(190)
    assert {key: _queries(client, url) for key, (client, url) in pages.items()} == small
