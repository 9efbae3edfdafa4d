"""The action plan pages: the list with a new plan, the plan with its badges and forms."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.models import ActionPlan, IndicatorValue, PlanAction
from tests.conftest import sign_in
from tests.plans.plan_helpers import YEAR, PlanStaff, activity, one_indicator

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 10, 20, 10, tzinfo=datetime.UTC)


def _client(user: object) -> Client:
    return sign_in(Client(), user)


@time_machine.travel(TODAY, tick=False)
def test_it_creates_the_mobility_plan_from_the_list(plan_staff: PlanStaff) -> None:
    response = _client(plan_staff.director).post(
        "/plans/", {"school_year": YEAR, "template": "student_mobility", "title": ""}
    )
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert PlanAction.objects.filter(objective__plan=plan).count() == 16
    page = _client(plan_staff.world.teacher).get("/plans/")
    assert plan.title in page.content.decode()
    assert "data-new-plan" not in page.content.decode()  # a teacher reads, does not make


@time_machine.travel(TODAY, tick=False)
def test_it_shows_target_achieved_and_status(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, filter={"topic": "mobility"})
    activity(plan_staff.tutor, datetime.date(2025, 9, 10))
    page = _client(plan_staff.world.form_tutor).get(f"/plans/{indicator.action.objective.plan_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="on_track"' in html and "<strong data-achieved>1</strong> / 2" in html


@time_machine.travel(TODAY, tick=False)
def test_it_names_a_term_outside_the_year_on_the_form(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff)
    response = _client(plan_staff.director).post(
        f"/plans/objectives/{indicator.action.objective_id}/actions/",
        {
            "text": "A",
            "responsible": ["director"],
            "term": "months",
            "first_month": "2026-08",
            "last_month": "2026-09",
        },
    )
    assert response.status_code == 400
    assert "2025-2026" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_it_records_a_manual_value_with_its_evidence(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="manual")
    plan_id = indicator.action.objective.plan_id
    form = {"value": "1", "evidence": "https://example.org/x", "as_of": "2025-10-01"}
    refused = _client(plan_staff.director).post(f"/plans/indicators/{indicator.pk}/values/", form)
    assert refused.status_code == 403
    done = _client(plan_staff.tutor).post(f"/plans/indicators/{indicator.pk}/values/", form)
    assert done.status_code == 302 and done["Location"] == f"/plans/{plan_id}/"
    assert IndicatorValue.objects.get().evidence == "https://example.org/x"


def test_it_hides_a_plan_from_another_school(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff)
    plan_id = indicator.action.objective.plan_id
    assert _client(plan_staff.other_director).get(f"/plans/{plan_id}/").status_code == 404


def _plan_of(staff: PlanStaff, actions: int) -> ActionPlan:
    indicator = one_indicator(staff, measure="manual", responsible=["form_tutor"])
    objective = indicator.action.objective
    for n in range(actions - 1):
        action = services.plan_action_add(
            actor=staff.director,
            objective=objective,
            text=f"Acțiunea {n}",
            responsible=["deputy_director", "form_tutor"],
            term="annual",
        )
        services.plan_indicator_add(
            actor=staff.director, action=action, text="min. 1", target=1, measure="manual"
        )
    return objective.plan


def _queries(staff: PlanStaff, plan: ActionPlan) -> tuple[int, str]:
    client = _client(staff.tutor)
    client.get(f"/plans/{plan.pk}/")  # the session's first page reads what it keeps
    with CaptureQueriesContext(connection) as done:
        page = client.get(f"/plans/{plan.pk}/")
    assert page.status_code == 200
    return len(done), page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_it_reads_the_plan_page_in_as_many_queries_for_30_actions_as_for_10(
    plan_staff: PlanStaff,
) -> None:
    ten, html = _queries(plan_staff, _plan_of(plan_staff, 10))
    assert html.count("data-value-form") == 10  # the tutor answers for every action
    ActionPlan.objects.all().delete()
    thirty, html = _queries(plan_staff, _plan_of(plan_staff, 30))
    assert html.count("data-value-form") == 30
    assert thirty == ten


@time_machine.travel(TODAY, tick=False)
def test_it_offers_the_value_form_only_to_those_responsible(plan_staff: PlanStaff) -> None:
    plan = _plan_of(plan_staff, 1)
    assert "data-value-form" in _client(plan_staff.tutor).get(f"/plans/{plan.pk}/").content.decode()
    html = _client(plan_staff.head).get(f"/plans/{plan.pk}/").content.decode()
    assert "data-value-form" not in html


@time_machine.travel(TODAY, tick=False)
def test_it_fills_the_value_form_with_a_day_a_date_input_takes_in_romanian(
    plan_staff: PlanStaff,
) -> None:
    # A date input shows nothing for "20.10.2025" (Romanian's input format): the day the form
    # offers was lost and the value refused as missing its day.
    indicator = one_indicator(plan_staff, measure="manual")
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    sign_in(client, plan_staff.tutor)
    html = client.get(f"/plans/{indicator.action.objective.plan_id}/").content.decode()
    assert 'name="as_of" value="2025-10-20"' in html
    # Each form of the page names its own fields: no label points at another form's field.
    assert f'id="id_value_{indicator.pk}_as_of"' in html and 'id="id_text"' not in html
