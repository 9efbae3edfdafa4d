"""Structured assessments at the start and at closing, and the change the closing review shows."""

from __future__ import annotations

import pytest

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Assessment, Case
from casework.models.plan import ASSESSMENT_ITEMS
from casework.services.assessments import assessment_record
from tests.conftest import client_for
from tests.factories import World, advance

pytestmark = pytest.mark.django_db


def _scores(area: str, value: int) -> dict[str, int]:
    return {code: value for code, _ in ASSESSMENT_ITEMS[area]}


def test_it_records_each_area_once_per_phase_over_the_api(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    client = client_for(world.psychologist)
    body = {
        "area": "emotional",
        "phase": "initial",
        "scores": _scores("emotional", 2),
        "notes": "anxious",
    }
    created = client.post(f"/api/cases/{case.pk}/assessments/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["total"] == 8 and created.json()["average"] == 2.0
    again = client.post(f"/api/cases/{case.pk}/assessments/", body, format="json")
    assert again.status_code == 409 and again.json()["assessment"] == created.json()["id"]
    assert case.events.filter(kind="assessment").count() == 1
    forms = client.get("/api/assessments/forms/").json()
    assert set(forms["areas"]) == {"academic", "emotional", "social"}


@pytest.mark.parametrize(
    "scores",
    [
        {"mood": 2},
        {**_scores("emotional", 3), "mood": 6},
        {**_scores("emotional", 3), "mood": "3"},
        {**_scores("emotional", 3), "height": 3},
        [1, 2, 3],
    ],
)
def test_it_names_the_scores_when_they_do_not_fit_the_form(
    scores: object, world: World, case: Case
) -> None:
    case = advance(case, world, "intervention")
    with pytest.raises(Invalid) as refused:
        assessment_record(
            case=case, actor=world.psychologist, area="emotional", phase="initial", scores=scores
        )
    assert "scores" in refused.value.fields
    assert not Assessment.objects.exists()


def test_it_keeps_each_area_to_its_groups(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    with pytest.raises(Forbidden):
        assessment_record(
            case=case,
            actor=world.teacher,
            area="emotional",
            phase="initial",
            scores=_scores("emotional", 3),
        )
    assessment_record(
        case=case,
        actor=world.teacher,
        area="academic",
        phase="initial",
        scores=_scores("academic", 3),
    )
    assessment_record(
        case=case, actor=world.social, area="social", phase="initial", scores=_scores("social", 3)
    )


def test_it_takes_the_closing_assessment_only_at_closing(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    with pytest.raises(Conflict):
        assessment_record(
            case=case,
            actor=world.coordinator,
            area="social",
            phase="closing",
            scores=_scores("social", 4),
        )


def test_it_shows_the_change_in_the_closing_review(world: World, case: Case) -> None:
    case = advance(case, world, "intervention")
    assessment_record(
        case=case,
        actor=world.psychologist,
        area="emotional",
        phase="initial",
        scores=_scores("emotional", 2),
    )
    case = advance(case, world, "closing")
    assessment_record(
        case=case,
        actor=world.psychologist,
        area="emotional",
        phase="closing",
        scores={**_scores("emotional", 4), "mood": 3},
    )
    client = client_for(world.coordinator)
    created = client.post(
        f"/api/cases/{case.pk}/closing-review/",
        {
            "feedback": "Went well",
            "feedback_student": "I feel calmer",
            "feedback_family": "Thankful",
            "feedback_staff": "Attendance is back",
            "objectives_met": "partly",
            "impact": "Back in class",
            "lessons_learned": "Involve the family early",
            "what_worked": "Weekly counselling",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["feedback_student"] == "I feel calmer" and body["what_worked"] == "Weekly counselling"
    )
    change = {row["area"]: row for row in body["assessment_change"]}
    assert change["emotional"] == {
        "area": "emotional",
        "initial": 2.0,
        "closing": 3.75,
        "change": 1.75,
    }
    assert change["academic"]["change"] is None
    assert body["objectives"]["on_track"] == 1
