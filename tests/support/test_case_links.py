"""A participation proposed from a case on the office's records: the next meeting's agenda
lists the case for it (the participations that moved since the previous regular meeting), and
the timeline names each step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from casework.models import Case, CaseEvent
from support.case_links import event_words
from support.models import Participation
from support.services import (
    participation_propose,
    participation_transition,
    student_consent_record,
)
from tests.conftest import client_for, sign_in
from tests.factories import advance, make_student
from tests.support.conftest import Scene
from workflows import services
from workflows.models import Meeting

pytestmark = pytest.mark.django_db


def _consent(scene: Scene, case: Case) -> None:
    """The students are minors: a placement needs the parents' consent of scope mobility."""
    student_consent_record(
        actor=scene.world.coordinator,
        student=case.student,
        scope="mobility",
        given_by="parent",
        given_by_name="M",
    )


def _proposed(scene: Scene, case: Case) -> Participation:
    opportunity = scene.opportunity("practice_placement", days=10)
    _consent(scene, case)
    return participation_propose(
        actor=scene.world.coordinator,
        opportunity=opportunity,
        role="learner",
        student=case.student,
        case=case,
    )


def _meeting(scene: Scene, days: int = 0) -> Meeting:
    return services.meeting_schedule(
        office=scene.world.office,
        actor=scene.world.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=days),
    )


def _item(
    scene: Scene, meeting: Meeting, case: Case, user: str = "coordinator", language: str = "ro"
) -> Any:
    response = client_for(scene.world.user(user)).get(
        f"/api/meetings/{meeting.pk}/agenda/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return next((i for i in response.json()["items"] if i["case"] == case.pk), None)


def test_it_lists_a_proposed_participation_on_the_next_meetings_agenda(
    scene: Scene, case: Case
) -> None:
    case = advance(case, scene.world, "intervention")
    participation = _proposed(scene, case)
    meeting = _meeting(scene, days=2)
    item = _item(scene, meeting, case)
    assert item is not None and "participations" in item["reasons"]
    reason = next(d for d in item["details"] if d["code"] == "participations")
    assert reason["participations"] == [
        {
            "id": participation.pk,
            "status": "proposed",
            "kind": "practice_placement",
            "since": timezone.localdate().isoformat(),
        }
    ]
    assert reason["text"] == "Participare propusă: Stagiu de practică la un angajator."
    page = sign_in(Client(), scene.world.coordinator).get(f"/meetings/{meeting.pk}/")
    assert "Participare propusă: Stagiu de practică la un angajator." in page.content.decode()


def test_it_says_the_latest_step_in_english_too(scene: Scene, case: Case) -> None:
    case = advance(case, scene.world, "intervention")
    participation = _proposed(scene, case)
    for name in ("select", "confirm", "start", "complete"):
        participation = participation_transition(
            actor=scene.world.coordinator, participation=participation, name=name
        )
    meeting = _meeting(scene, days=2)
    item = _item(scene, meeting, case, language="en")
    texts = [d["text"] for d in item["details"] if d["code"] == "participations"]
    assert texts == ["Participation completed: Practice placement at an employer."]


def test_it_leaves_out_a_participation_that_moved_before_the_previous_meeting(
    scene: Scene, case: Case
) -> None:
    case = advance(case, scene.world, "intervention")
    participation = _proposed(scene, case)
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Participation.objects.filter(pk=participation.pk).update(status_changed_at=long_ago)
    Meeting.objects.create(
        office=scene.world.office,
        kind=Meeting.Kind.REGULAR,
        scheduled_for=timezone.now() - datetime.timedelta(days=30),
        created_by=scene.world.coordinator,
    )
    item = _item(scene, _meeting(scene, days=2), case)
    assert item is None or "participations" not in item["reasons"]


def test_it_keeps_a_case_without_participations_off_for_this_reason(
    scene: Scene, case: Case
) -> None:
    advance(case, scene.world, "intervention")
    other = advance(
        services.case_flag(
            student=make_student(scene.world.school),
            actor=scene.world.teacher,
            reason="r",
            functions=["pedagogical"],
        ),
        scene.world,
        "intervention",
    )
    _proposed(scene, other)
    item = _item(scene, _meeting(scene, days=2), case)
    assert item is None or "participations" not in item["reasons"]


def test_it_shows_the_agenda_item_only_to_those_who_see_the_meeting(
    scene: Scene, case: Case
) -> None:
    case = advance(case, scene.world, "intervention")
    _proposed(scene, case)
    meeting = _meeting(scene, days=2)
    assert _item(scene, meeting, case, "social") is not None
    for outsider in ("network", "form_tutor", "outsider"):
        answer = client_for(scene.world.user(outsider)).get(f"/api/meetings/{meeting.pk}/agenda/")
        assert answer.status_code == 404


def test_it_names_each_step_on_the_timeline_in_both_languages(scene: Scene, case: Case) -> None:
    case = advance(case, scene.world, "intervention")
    _proposed(scene, case)
    event = CaseEvent.objects.get(case=case, name="participation_proposed")
    assert event_words(event) == "Participare propusă: Stagiu de practică la un angajator"
    with translation.override("en"):
        assert event_words(event) == "Participation proposed: Practice placement at an employer"
    page = sign_in(Client(), scene.world.coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert "Participare propusă: Stagiu de practică la un angajator" in page
    # An event of the core is the core's to name.
    assert event_words(CaseEvent(kind="note", name="consent_recorded", data={})) is None
