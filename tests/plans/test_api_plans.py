"""Action plans over the API: the contract's shape, and 404 → 403 → 400 → 409 on each call."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from plans.models import PlanIndicator
from tests.conftest import client_for
from tests.plans.plan_helpers import YEAR, PlanStaff, activity, one_indicator, students

pytestmark = pytest.mark.django_db


def _template(plan_staff: PlanStaff) -> int:
    response = client_for(plan_staff.director).post(
        "/api/plans/", {"template": "student_mobility", "school_year": YEAR}, format="json"
    )
    assert response.status_code == 201
    return int(response.json()["id"])


@time_machine.travel(datetime.datetime(2025, 10, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_it_reads_the_plan_with_live_counts(plan_staff: PlanStaff) -> None:
    pk = _template(plan_staff)
    pupils = students(plan_staff.world, 2)
    activity(plan_staff.tutor, datetime.date(2025, 9, 15), students=pupils)
    body = client_for(plan_staff.world.teacher).get(f"/api/plans/{pk}/").json()
    assert (body["title"], body["school_year"]) == (
        "Planul de acțiuni privind mobilitatea elevilor",
        YEAR,
    )
    assert len(body["objectives"]) == 5
    assert sum(len(o["actions"]) for o in body["objectives"]) == 16
    action = body["objectives"][0]["actions"][0]
    assert action["term"] == {"from": "2025-09", "to": "2025-10"}
    assert action["responsible"] == ["deputy_director", "form_tutor"]
    indicator = action["indicators"][0]
    assert {k: indicator[k] for k in ("measure", "filter", "target", "achieved", "status")} == {
        "measure": "activities",
        "filter": {"topic": "mobility", "with_attendance": True},
        "target": 2,
        "achieved": 1,
        "status": "on_track",  # half the target, over half the term gone: not under half
    }
    assert {"id", "text"} <= set(indicator)


def test_it_lists_the_schools_plans_paginated(plan_staff: PlanStaff) -> None:
    pk = _template(plan_staff)
    body = client_for(plan_staff.world.form_tutor).get("/api/plans/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == pk
    assert client_for(plan_staff.other_director).get("/api/plans/").json()["count"] == 0


def test_it_builds_a_plan_call_by_call(plan_staff: PlanStaff) -> None:
    api = client_for(plan_staff.world.coordinator)
    plan = api.post("/api/plans/", {"title": "Plan", "school_year": YEAR}, format="json").json()
    objective = api.post(f"/api/plans/{plan['id']}/objectives/", {"text": "O"}, format="json")
    assert objective.status_code == 201
    action = api.post(
        f"/api/plan-objectives/{objective.json()['id']}/actions/",
        {"text": "A", "responsible": ["director"], "term": "during_year"},
        format="json",
    )
    assert action.status_code == 201 and action.json()["term"] == "during_year"
    indicator = api.post(
        f"/api/plan-actions/{action.json()['id']}/indicators/",
        {"text": "I", "target": 2, "measure": "manual"},
        format="json",
    )
    assert indicator.status_code == 201
    assert (indicator.json()["achieved"], indicator.json()["target"]) == (0, 2)


def test_it_answers_404_to_another_school(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="manual")
    action = indicator.action
    api = client_for(plan_staff.other_director)
    paths = [
        f"/api/plans/{action.objective.plan_id}/",
        f"/api/plans/{action.objective.plan_id}/objectives/",
        f"/api/plan-objectives/{action.objective_id}/actions/",
        f"/api/plan-actions/{action.pk}/indicators/",
        f"/api/plan-indicators/{indicator.pk}/values/",
    ]
    answers = [api.get(paths[0]).status_code]
    answers += [api.post(path, {}, format="json").status_code for path in paths[1:]]
    assert answers == [404] * 5


def test_it_answers_403_to_staff_who_may_not_edit(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff)
    api = client_for(plan_staff.ceiac)
    assert api.post("/api/plans/", {}, format="json").status_code == 403
    response = api.post(f"/api/plan-actions/{indicator.action_id}/indicators/", {}, format="json")
    assert response.status_code == 403


def test_it_answers_403_to_a_value_by_someone_not_responsible(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="manual", responsible=["head_of_section"])
    response = client_for(plan_staff.director).post(
        f"/api/plan-indicators/{indicator.pk}/values/",
        {"value": 1, "evidence": "e", "as_of": "2025-10-01"},
        format="json",
    )
    assert response.status_code == 403
    ok = client_for(plan_staff.head).post(
        f"/api/plan-indicators/{indicator.pk}/values/",
        {"value": 1, "evidence": "https://example.org", "as_of": "2025-10-01"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["value"] == 1


@pytest.mark.parametrize(
    "path,body,field",
    [
        (
            "action",
            {
                "text": "A",
                "responsible": ["director"],
                "term": {"from": "2026-08", "to": "2026-09"},
            },
            "term",
        ),
        ("indicator", {"text": "I", "target": 1, "measure": "likes"}, "measure"),
        (
            "indicator",
            {"text": "I", "target": 1, "measure": "activities", "filter": {"room": "A"}},
            "filter",
        ),
        ("indicator", {"text": "I", "target": 0, "measure": "activities"}, "target"),
        ("value", {"value": 1, "evidence": "e", "as_of": "yesterday"}, "as_of"),
    ],
)
def test_it_answers_400_naming_the_field(
    plan_staff: PlanStaff, path: str, body: dict[str, object], field: str
) -> None:
    indicator = one_indicator(plan_staff, measure="manual", responsible=["director"])
    url = {
        "action": f"/api/plan-objectives/{indicator.action.objective_id}/actions/",
        "indicator": f"/api/plan-actions/{indicator.action_id}/indicators/",
        "value": f"/api/plan-indicators/{indicator.pk}/values/",
    }[path]
    response = client_for(plan_staff.director).post(url, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if field == "filter":
        assert "room" in response.json()["filter"][0]


def test_it_answers_409_to_a_value_of_a_counted_indicator(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, responsible=["director"])
    response = client_for(plan_staff.director).post(
        f"/api/plan-indicators/{indicator.pk}/values/",
        {"value": 1, "evidence": "e", "as_of": "2025-10-01"},
        format="json",
    )
    assert response.status_code == 409


def test_it_answers_409_to_the_template_twice(plan_staff: PlanStaff) -> None:
    pk = _template(plan_staff)
    indicators = PlanIndicator.objects.count()
    again = client_for(plan_staff.deputy).post(
        "/api/plans/", {"template": "student_mobility", "school_year": YEAR}, format="json"
    )
    assert again.status_code == 409 and again.json()["plan"] == pk
    assert PlanIndicator.objects.count() == indicators
