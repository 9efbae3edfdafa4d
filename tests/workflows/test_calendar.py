"""The per-user iCalendar feed: a private token URL, no login, no names."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from casework.models import Case
from tests.conftest import client_for
from tests.factories import World, advance
from workflows import services
from workflows.models import CaseTask

pytestmark = pytest.mark.django_db


def _feed_path(world: World, user: str = "psychologist") -> str:
    url: str = client_for(world.user(user)).get("/api/calendar/").json()["url"]
    return url.split("testserver", 1)[1]


def test_it_serves_a_feed_that_parses_and_holds_the_meeting(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    case_task = CaseTask.objects.get(case=case, name="pedagogical")
    from workflows import services

    services.task_claim(case_task=case_task, actor=world.psychologist)
    when = (timezone.now() + datetime.timedelta(days=4)).replace(microsecond=0)
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=when, location="Sala 12"
    )
    response = Client().get(_feed_path(world))  # no login
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"meeting-{meeting.pk}@action-office"]
    assert event.decoded("dtstart") == when
    assert "location" not in event and "Sala 12" not in response.content.decode()
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")
    assert f"task-{case_task.pk}@action-office" in events
    assert case.student.last_name not in response.content.decode()


def test_it_gives_each_person_only_their_meetings(world: World) -> None:
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=timezone.now()
    )
    body = Client().get(_feed_path(world, "form_tutor")).content
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert f"meeting-{meeting.pk}@action-office" not in uids


def test_it_rotates_the_private_address(world: World) -> None:
    old = _feed_path(world)
    assert client_for(world.psychologist).get("/api/calendar/").json()["url"].endswith(old)
    new = client_for(world.psychologist).post("/api/calendar/rotate/").json()["url"]
    assert not new.endswith(old)
    assert Client().get(old).status_code == 404
    assert Client().get(new.split("testserver", 1)[1]).status_code == 200
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
