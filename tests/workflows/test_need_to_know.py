"""What hangs off a case follows the case: meetings about it, their notes, agenda, minutes and
calendar events reach exactly those who may see the case, on every front."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from casework.models import Case
from casework.services.consents import consent_record
from casework.services.offices import membership_set
from tests.conftest import client_for
from tests.factories import World, advance, make_student
from workflows import services
from workflows.models import Meeting

pytestmark = pytest.mark.django_db

NOTES = "Suspiciune de abuz în familie; mama a sunat de două ori."


def _case(world: World, stage: str, flagger: str = "teacher") -> Case:
    case = services.case_flag(
        student=make_student(world.school),
        actor=world.user(flagger),
        reason="r",
        functions=["pedagogical", "socio_economic"],
    )
    return advance(case, world, stage)


def _individual(world: World, case: Case, attendees: list[Any]) -> Meeting:
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
        kind=Meeting.Kind.INDIVIDUAL,
        case=case,
        attendees=attendees,
    )
    return services.meeting_update(meeting=meeting, actor=world.coordinator, notes=NOTES)


def _web(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _feed_uids(user: Any) -> list[str]:
    url: str = client_for(user).get("/api/calendar/").json()["url"]
    body = Client().get(url.split("testserver", 1)[1]).content
    return [str(e["uid"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def _assert_hidden(user: Any, meeting: Meeting) -> None:
    api = client_for(user)
    for path in ("", "agenda/", "minutes.pdf"):
        response = api.get(f"/api/meetings/{meeting.pk}/{path}")
        assert response.status_code == 404, (user.username, path, response.content[:200])
    listed = [m["id"] for m in api.get("/api/meetings/").json()["results"]]
    assert meeting.pk not in listed
    page = _web(user).get(f"/meetings/{meeting.pk}/")
    assert page.status_code == 404
    assert NOTES not in _web(user).get("/meetings/").content.decode()
    assert f"meeting-{meeting.pk}@action-office" not in _feed_uids(user)


def _invite_network(world: World, case: Case) -> Any:
    consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )
    referral = services.referral_request(
        case=case, actor=world.coordinator, to_user=world.network, purpose="aid"
    )
    return services.referral_change(referral=referral, name="accept", actor=world.network)


def test_it_ends_the_network_members_meeting_with_their_referral(world: World) -> None:
    case = _case(world, "intervention")
    referral = _invite_network(world, case)
    meeting = _individual(world, case, [world.network])
    assert client_for(world.network).get(f"/api/meetings/{meeting.pk}/").json()["notes"] == NOTES
    services.referral_change(referral=referral, name="revoke", actor=world.coordinator)
    services.meeting_update(meeting=meeting, actor=world.coordinator, notes=NOTES + " Later.")
    assert client_for(world.network).get(f"/api/cases/{case.pk}/").status_code == 404
    _assert_hidden(world.network, meeting)


@pytest.mark.parametrize("role", ["teacher", "social", "admin_staff"])
def test_it_hides_a_meeting_about_a_monitoring_case_from_who_cannot_see_it(
    world: World, role: str
) -> None:
    case = _case(world, "monitoring", flagger="psychologist")
    meeting = _individual(world, case, [world.psychologist2])
    assert client_for(world.user(role)).get(f"/api/cases/{case.pk}/").status_code == 404
    _assert_hidden(world.user(role), meeting)
    # Those who may see the case still see it, notes and all.
    assert client_for(world.psychologist2).get(f"/api/meetings/{meeting.pk}/").json()["notes"]


def test_it_closes_the_office_meetings_to_a_member_made_inactive(world: World) -> None:
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    services.meeting_update(meeting=meeting, actor=world.coordinator, notes=NOTES)
    assert client_for(world.social).get(f"/api/meetings/{meeting.pk}/").status_code == 200
    membership_set(office=world.office, user=world.social, group=3, active=False)
    _assert_hidden(world.social, meeting)


def test_it_keeps_typed_text_out_of_the_calendar_feed(world: World) -> None:
    case = _case(world, "intervention")
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    item = services.agenda_item_add(meeting=meeting, actor=world.coordinator, case=case)
    title = "Sună mama Nicoletei Barbu, tel. 0722123456"
    decision = services.decision_record(
        meeting=meeting,
        item=item,
        actor=world.coordinator,
        kind="task",
        text="Call the family",
        group=3,
        title=title,
        due=timezone.localdate() + datetime.timedelta(days=5),
    )
    from workflows.models import CaseTask

    case_task = CaseTask.objects.get(pk=decision.data["task"])
    services.task_claim(case_task=case_task, actor=world.social)
    url: str = client_for(world.social).get("/api/calendar/").json()["url"]
    body = Client().get(url.split("testserver", 1)[1]).content.decode()
    assert "Nicoletei" not in body and "0722" not in body
    events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    event = events[f"task-{case_task.pk}@action-office"]
    assert str(event["summary"]) == f"Termen pentru o sarcină (cazul #{case.pk})"
    assert str(event["url"]).endswith(f"/tasks/{case_task.pk}/")


def test_it_drops_the_meeting_notifications_of_a_member_who_left(world: World) -> None:
    meeting = services.meeting_schedule(
        office=world.office,
        actor=world.coordinator,
        scheduled_for=timezone.now(),
    )
    listed = client_for(world.social).get("/api/notifications/").json()["results"]
    assert [n["meeting"] for n in listed] == [meeting.pk]
    membership_set(office=world.office, user=world.social, group=3, active=False)
    assert client_for(world.social).get("/api/notifications/").json()["results"] == []


def test_it_finds_the_way_from_each_record_to_its_case() -> None:
    from casework.models import CaseEvent, InstrumentResponse, ObjectiveReview, Student
    from casework.selectors import case_path
    from workflows.models import Attendance, CaseTask

    assert case_path(CaseEvent) == "case"
    assert case_path(ObjectiveReview) == "objective__case"
    assert case_path(Attendance) == "meeting__case"
    assert case_path(InstrumentResponse) == "signal__case"
    assert case_path(CaseTask) == "case"
    assert case_path(Student) is None


def test_it_answers_a_record_of_a_hidden_case_as_missing(world: World) -> None:
    case = _case(world, "monitoring", flagger="psychologist")
    consent = consent_record(
        case=case,
        actor=world.coordinator,
        scope="referral",
        given_by="parent",
        given_by_name="P",
        recipient_user=world.network,
        purpose="aid",
    )
    hidden = client_for(world.social).post(f"/api/consents/{consent.pk}/withdraw/", {})
    missing = client_for(world.social).post("/api/consents/999999/withdraw/", {})
    assert hidden.status_code == missing.status_code == 404
    assert (
        client_for(world.psychologist2)
        .post(f"/api/consents/{consent.pk}/withdraw/", {})
        .status_code
        == 200
    )
