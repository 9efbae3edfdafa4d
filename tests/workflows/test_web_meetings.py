"""Meeting pages: schedule, the agenda with its reasons, attendance, decisions carried out,
the minutes; by role, with errors as the API gives them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import Case, Stage
from tests.factories import World, advance, make_student, objective_fields, reload
from workflows import services
from workflows.models import Attendance, CaseTask, Decision, Meeting

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _case(world: World, stage: str, functions: list[str] | None = None) -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Absent nine days",
        functions=functions or ["pedagogical"],
    )
    return advance(case, world, stage)


def _meeting(world: World, **extra: Any) -> Meeting:
    return services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
        **extra,
    )


def _decide(client: Client, meeting: Meeting, case: Case, **data: Any) -> Any:
    item = meeting.agenda_items.get(case=case)
    return client.post(f"/meetings/{meeting.pk}/items/{item.pk}/decide/", data)


def test_it_schedules_a_meeting_from_the_list(world: World) -> None:
    when = (timezone.localtime() + datetime.timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    client = _client(world.coordinator)
    assert 'action="/meetings/schedule/"' in client.get("/meetings/").content.decode()
    response = client.post(
        "/meetings/schedule/",
        {"scheduled_for": when, "location": "Room 12", "duration_minutes": 60},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.location == "Room 12" and meeting.attendance.count() == 6


def test_it_puts_schedule_errors_next_to_the_fields(world: World) -> None:
    response = _client(world.coordinator).post("/meetings/schedule/", {"scheduled_for": "soon"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_scheduled_for_error"' in page and 'id="id_duration_minutes_error"' in page
    assert not Meeting.objects.exists()


def test_it_refuses_scheduling_to_who_does_not_coordinate(world: World) -> None:
    when = (timezone.localtime() + datetime.timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    teacher = _client(world.teacher)
    assert 'action="/meetings/schedule/"' not in teacher.get("/meetings/").content.decode()
    response = teacher.post("/meetings/schedule/", {"scheduled_for": when, "duration_minutes": 90})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_it_shows_the_agenda_with_its_reasons(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    page = _client(world.psychologist).get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'data-agenda-case="{case.pk}"' in page
    assert "not decided on yet" in page
    # Members read the agenda; only coordinators get the forms.
    assert "data-decision-form" not in page
    assert (
        "data-decision-form"
        in _client(world.coordinator).get(f"/meetings/{meeting.pk}/").content.decode()
    )


def test_it_shows_the_meeting_in_romanian_with_formal_buttons(world: World) -> None:
    _case(world, "shared")
    meeting = _meeting(world, duration_minutes=90)
    client = Client()  # the site's default language: Romanian
    client.force_login(world.coordinator)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    # Twenty and more take "de" in Romanian: "90 de minute", never "90 minute".
    assert "90 de minute" in page
    assert "Scoateți de pe ordinea de zi" in page


def test_it_hides_the_meeting_from_outsiders_and_the_network(world: World) -> None:
    meeting = _meeting(world)
    assert _client(world.outsider).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert _client(world.network).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert _client(world.form_tutor).get("/meetings/").status_code == 200


def test_it_runs_the_meeting_and_the_case_moves_on(world: World) -> None:
    case = _case(world, "shared", functions=["pedagogical", "socio_economic"])
    services.objective_add(case=case, actor=world.coordinator, **objective_fields())
    meeting = _meeting(world)
    client = _client(world.coordinator)
    rows = {row.user_id: row for row in meeting.attendance.all()}
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {f"user_{pk}": "present" for pk in rows},
    )
    assert response.status_code == 302
    assert not meeting.attendance.filter(status=Attendance.Status.INVITED).exists()
    response = _decide(
        client,
        meeting,
        case,
        kind="transition",
        text="Start the plan agreed today",
        transition="start_intervention",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = reload(case)
    assert case.stage == Stage.INTERVENTION
    assert set(CaseTask.objects.filter(case=case).values_list("name", flat=True)) >= {
        "pedagogical",
        "socio_economic",
    }
    decision = Decision.objects.get(case=case)
    assert decision.data["to"] == "intervention"
    response = client.post(f"/meetings/{meeting.pk}/close/")
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_it_says_why_a_decision_cannot_be_carried_out(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    response = _decide(
        _client(world.coordinator),
        meeting,
        case,
        kind="transition",
        text="Start",
        transition="start_intervention",
    )
    assert response.status_code == 409
    assert "SMART objective" in response.content.decode()
    assert not Decision.objects.exists() and reload(case).stage == Stage.SHARED


def test_it_puts_decision_errors_next_to_the_fields(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    item = meeting.agenda_items.get(case=case)
    response = _decide(_client(world.coordinator), meeting, case, kind="task", text="")
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_item{item.pk}_text_error"' in page
    response = _decide(_client(world.coordinator), meeting, case, kind="task", text="Call home")
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_item{item.pk}_group_error"' in page
    assert f'id="id_item{item.pk}_title_error"' in page
    assert not Decision.objects.exists()


def test_it_creates_the_task_a_meeting_decides(world: World) -> None:
    case = _case(world, "intervention")
    meeting = _meeting(world)
    services.agenda_item_add(meeting=meeting, actor=world.coordinator, case=case)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = _decide(
        _client(world.coordinator),
        meeting,
        case,
        kind="task",
        text="Ask for the scholarship",
        group="3",
        title="Scholarship file",
        due=due,
    )
    assert response.status_code == 302
    assert CaseTask.objects.filter(case=case, name="office_task", group=3).exists()


def test_it_refuses_decisions_to_members_who_do_not_coordinate(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    response = _decide(
        _client(world.psychologist), meeting, case, kind="note", text="Keep watching"
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_it_will_not_close_minutes_with_undecided_cases(world: World) -> None:
    case = _case(world, "shared")
    meeting = _meeting(world)
    response = _client(world.coordinator).post(f"/meetings/{meeting.pk}/close/")
    assert response.status_code == 409
    assert f'href="#case-{case.pk}"' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED


def test_it_edits_the_agenda_by_hand(world: World) -> None:
    first = _case(world, "shared")
    second = _case(world, "intervention")
    meeting = _meeting(world)
    client = _client(world.coordinator)
    assert not meeting.agenda_items.filter(case=second).exists()
    response = client.post(f"/meetings/{meeting.pk}/agenda/", {"case": second.pk, "note": "Ask"})
    assert response.status_code == 302
    item = meeting.agenda_items.get(case=second)
    assert item.added_by_hand and item.note == "Ask"
    response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/move/", {"priority": 1})
    assert response.status_code == 302
    assert meeting.agenda_items.get(case=second).position == 1
    first_item = meeting.agenda_items.get(case=first)
    response = client.post(f"/meetings/{meeting.pk}/items/{first_item.pk}/remove/")
    assert response.status_code == 302
    assert meeting.agenda_items.get(case=first).removed


def test_it_saves_the_notes_and_cancels(world: World) -> None:
    meeting = _meeting(world)
    client = _client(world.coordinator)
    assert client.post(f"/meetings/{meeting.pk}/notes/", {"notes": "Quorum"}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).notes == "Quorum"
    response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Holiday"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_it_offers_no_decision_and_no_closing_before_the_meetings_day(world: World) -> None:
    case = _case(world, "shared")
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=7),
    )
    client = _client(world.coordinator)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'data-agenda-case="{case.pk}"' in page
    assert "data-decision-form" not in page and "data-close-minutes" not in page
    assert "data-before-meeting" in page
    item = meeting.agenda_items.get(case=case)
    refused = client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/decide/", {"kind": "note", "text": "x"}
    )
    assert refused.status_code == 409 and "from that day on" in refused.content.decode()
    assert client.post(f"/meetings/{meeting.pk}/close/").status_code == 409
    assert not Decision.objects.exists()


def test_it_gives_my_calendar_address_on_the_meetings_page_and_makes_a_new_one(
    world: World,
) -> None:
    from workflows.models import CalendarFeed

    client = _client(world.psychologist)
    page = client.get("/meetings/").content.decode()
    feed = CalendarFeed.objects.get(user=world.psychologist)
    assert f"/calendar/{feed.token}.ics" in page and "webcal://" in page
    assert "Google Calendar" in page
    response = client.post("/meetings/calendar/rotate/")
    assert response.status_code == 302 and response["Location"].endswith("#calendar")
    fresh = CalendarFeed.objects.get(user=world.psychologist)
    assert fresh.token != feed.token
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    body = client.get(f"/calendar/{fresh.token}.ics").content.decode()
    assert "BEGIN:VCALENDAR" in body
