"""``/api/reports/``: drafting, the narrative, the list, the documents, and the contract's
errors (400 naming the field, 409 for a second report or a summary with nothing to sum up)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook

from counselling.models import Report
from tests.conftest import client_for
from tests.counselling.conftest import Staff
from tests.counselling.reports_helpers import SEMESTER, held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _february() -> object:
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _new(staff: Staff, **body: object) -> Any:
    return client_for(staff.tutor).post(
        "/api/reports/", {"kind": "counselling_semester", "period": SEMESTER, **body}, format="json"
    )


def test_it_drafts_a_report_with_its_figures(staff: Staff) -> None:
    held(staff.tutor, students=staff.students[:3])
    response = _new(staff)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["registration"] is None
    assert data["content"]["activities"]["total"] == 1
    assert data["content"]["students_reached"] == 3
    assert set(data["content"]["activities"]) == {"total", "by_kind", "by_channel", "by_topic"}


def test_it_refuses_a_second_report_of_the_period(staff: Staff) -> None:
    first = _new(staff).json()["id"]
    response = _new(staff)
    assert response.status_code == 409
    assert response.json()["report"] == first


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "weekly"}, "kind"), ({"period": "2025/2026"}, "period")],
)
def test_it_names_the_wrong_field(staff: Staff, body: dict[str, str], field: str) -> None:
    response = _new(staff, **body)
    assert response.status_code == 400 and field in response.json()


def test_it_answers_plan_monitoring_with_400_on_plan(staff: Staff) -> None:
    response = client_for(staff.ceiac).post(
        "/api/reports/", {"kind": "plan_monitoring", "period": "2025-2026"}, format="json"
    )
    assert response.status_code == 400 and "plan" in response.json()


def test_it_refuses_a_summary_without_registered_reports(staff: Staff) -> None:
    response = client_for(staff.counsellor).post(
        "/api/reports/", {"kind": "counselling_summary", "period": SEMESTER}, format="json"
    )
    assert response.status_code == 409


def test_it_keeps_the_narrative_editable_until_submitted(staff: Staff) -> None:
    pk = _new(staff).json()["id"]
    client = client_for(staff.tutor)
    url = f"/api/reports/{pk}/"
    assert client.patch(url, {"narrative": "Am informat."}, format="json").status_code == 200
    assert Report.objects.get(pk=pk).narrative == "Am informat."
    assert client.post(f"{url}submit/", {}, format="json").status_code == 200
    assert client.patch(url, {"narrative": "Altceva."}, format="json").status_code == 409
    assert (
        client_for(staff.counsellor).patch(url, {"narrative": "x"}, format="json").status_code
        == 403
    )


def test_it_lists_the_reports_one_may_read(staff: Staff) -> None:
    pk = _new(staff).json()["id"]
    mine = client_for(staff.tutor).get("/api/reports/").json()
    assert [r["id"] for r in mine["results"]] == [pk]
    assert client_for(staff.director).get("/api/reports/").json()["count"] == 0  # a draft


def test_it_prints_and_exports_with_the_registration(staff: Staff) -> None:
    held(staff.tutor, students=staff.students[:2])
    pk = _new(staff).json()["id"]
    client_for(staff.tutor).post(f"/api/reports/{pk}/submit/", {}, format="json")
    client_for(staff.counsellor).post(f"/api/reports/{pk}/register/", {}, format="json")
    pdf = client_for(staff.counsellor).get(f"/api/reports/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client_for(staff.counsellor).get(f"/api/reports/{pk}/xlsx/")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "1/10.02.2026" in values
    assert client_for(staff.world.outsider).get(f"/api/reports/{pk}/pdf/").status_code == 404


def test_it_answers_an_unknown_step_with_404(staff: Staff) -> None:
    pk = _new(staff).json()["id"]
    assert client_for(staff.tutor).post(f"/api/reports/{pk}/publish/", {}).status_code == 404
