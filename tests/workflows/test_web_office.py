"""The office dashboard: the next meeting and its agenda, and charts that say only what the
numbers say."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import World, advance, make_student
from workflows import services
from workflows.web.office import _bars

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_it_shows_the_next_meeting_with_its_agenda_and_reasons(world: World) -> None:
    case = advance(
        services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="Absent",
            functions=["pedagogical"],
        ),
        world,
        "shared",
    )
    page = _client(world.coordinator).get("/office/").content.decode()
    assert "No meeting is scheduled." in page
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=5),
    )
    page = _client(world.coordinator).get("/office/").content.decode()
    assert f'data-next-meeting="{meeting.pk}"' in page
    assert f'href="/cases/{case.pk}/"' in page and "not decided on yet" in page


def test_it_draws_no_bar_for_a_value_shown_as_zero() -> None:
    bars = _bars([("a", 0.04), ("b", 0.0), ("c", 12.0), ("d", 0.06)], 1)
    assert [bar["percent"] for bar in bars] == [0, 0, 100.0, 1.0]
    assert [bar["value"] for bar in bars] == [0.0, 0.0, 12.0, 0.1]


def test_it_gives_the_tables_the_whole_row(world: World) -> None:
    page = _client(world.coordinator).get("/office/").content.decode()
    assert page.count("ao-card--wide") == 3
    assert page.count("<rect") == 0  # nothing to draw yet: no case, no time in any stage
