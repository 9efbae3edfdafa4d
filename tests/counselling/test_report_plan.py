"""The plan monitoring report: drafted by the quality commission for a plan of its school year,
its content every indicator's target against achieved, through the director's circuit, and in
its PDF and XLSX."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from casework.errors import Invalid
from counselling.models import Report
from counselling.reports import services
from counselling.reports.export import report_xlsx
from plans import services as plans
from tests.conftest import client_for, sign_in
from tests.counselling.reports_helpers import walk
from tests.factories import World
from tests.plans.plan_helpers import YEAR, PlanStaff, activity, make_plan_staff, students

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 6, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture
def plan_staff(world: World) -> PlanStaff:
    return make_plan_staff(world)


@time_machine.travel(TODAY, tick=False)
def test_it_drafts_the_monitoring_of_a_plan_with_its_indicators(plan_staff: PlanStaff) -> None:
    plan = plans.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    activity(plan_staff.tutor, datetime.date(2025, 9, 15), students=students(plan_staff.world, 3))
    response = client_for(plan_staff.ceiac).post(
        "/api/reports/", {"kind": "plan_monitoring", "period": YEAR, "plan": plan.pk}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["plan"] == plan.pk
    content = body["content"]
    assert content["plan"]["id"] == plan.pk and content["summary"]["total"] == len(
        content["indicators"]
    )
    first = content["indicators"][0]
    assert (first["target"], first["achieved"], first["status"]) == (2, 1, "missed")
    assert first["evidence"] == {"records": 1, "activities": 1}


@time_machine.travel(TODAY, tick=False)
def test_it_goes_to_the_director_and_is_counted_once_approved(plan_staff: PlanStaff) -> None:
    plan = plans.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    report = services.report_draft(
        actor=plan_staff.ceiac, kind="plan_monitoring", period=YEAR, plan=plan
    )
    report = walk(report, plan_staff.director, "approved")
    assert report.status == "approved"
    body = client_for(plan_staff.director).get(f"/api/plans/{plan.pk}/").json()
    monitoring = body["objectives"][3]["actions"][0]["indicators"][0]
    assert (monitoring["measure"], monitoring["achieved"], monitoring["status"]) == (
        "reports",
        1,
        "achieved",
    )
    sheet = load_workbook(io.BytesIO(report_xlsx(report, plan_staff.director))).active
    texts = [row[1] for row in sheet.iter_rows(values_only=True) if row and len(row) > 1]
    assert "min. 2 instituții partenere identificate" in texts


def test_it_names_the_plan_and_the_period_when_wrong(plan_staff: PlanStaff) -> None:
    plan = plans.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    with pytest.raises(Invalid) as refused:
        services.report_draft(
            actor=plan_staff.ceiac, kind="plan_monitoring", period="2026-2027", plan=plan
        )
    assert list(refused.value.fields) == ["period"]
    other = client_for(plan_staff.other_director).post(
        "/api/reports/", {"kind": "plan_monitoring", "period": YEAR, "plan": plan.pk}, format="json"
    )
    assert other.status_code == 404


def test_it_answers_the_pdf_with_the_indicators(plan_staff: PlanStaff) -> None:
    plan = plans.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    report = services.report_draft(
        actor=plan_staff.ceiac, kind="plan_monitoring", period=YEAR, plan=plan
    )
    response = client_for(plan_staff.ceiac).get(f"/api/reports/{report.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@time_machine.travel(TODAY, tick=False)
def test_it_drafts_the_monitoring_from_the_plans_page(plan_staff: PlanStaff) -> None:
    plan = plans.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    ceiac = sign_in(Client(), plan_staff.ceiac)
    assert "data-monitor" in ceiac.get(f"/plans/{plan.pk}/").content.decode()
    assert (
        "data-monitor"
        not in sign_in(Client(), plan_staff.deputy).get(f"/plans/{plan.pk}/").content.decode()
    )
    response = ceiac.post(
        "/reports/new/", {"kind": "plan_monitoring", "period": YEAR, "plan": plan.pk}
    )
    report = Report.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    page = ceiac.get(f"/reports/{report.pk}/").content.decode()
    assert "data-indicators" in page and "min. 2 instituții partenere identificate" in page
