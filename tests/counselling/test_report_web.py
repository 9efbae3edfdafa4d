"""The report pages: the list with a new report, the report's figures, the narrative, and the
step buttons for whoever may act now, in Romanian and English."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from counselling.models import Report
from tests.conftest import sign_in
from tests.counselling.conftest import Staff
from tests.counselling.reports_helpers import SEMESTER, held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _february() -> object:
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _client(user: object) -> Client:
    return sign_in(Client(), user)


def _drafted(staff: Staff) -> Report:
    response = _client(staff.tutor).post(
        "/reports/new/", {"kind": "counselling_semester", "period": SEMESTER}
    )
    assert response.status_code == 302
    return Report.objects.get(author=staff.tutor)


def test_it_offers_the_kinds_the_user_drafts_and_this_periods(staff: Staff) -> None:
    page = _client(staff.tutor).get("/reports/").content.decode()
    assert 'value="counselling_semester"' in page
    assert 'value="counselling_summary"' not in page
    assert 'value="2025-2026/2"' in page and 'value="2025-2026/1"' in page


def test_it_refuses_the_list_to_staff_without_a_report_position(staff: Staff) -> None:
    assert _client(staff.world.teacher).get("/reports/").status_code == 403


def test_it_shows_the_figures_counted_from_the_records(staff: Staff) -> None:
    held(staff.tutor, students=staff.students[:3])
    report = _drafted(staff)
    page = _client(staff.tutor).get(f"/reports/{report.pk}/").content.decode()
    assert "data-figures" in page and 'data-step="submit"' in page


def test_it_keeps_the_narrative_typed_when_the_report_is_submitted_from_its_form(
    staff: Staff,
) -> None:
    report = _drafted(staff)
    client = _client(staff.tutor)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'formaction="/reports/{report.pk}/submit/"' in page
    client.post(f"/reports/{report.pk}/submit/", {"narrative": "Scris și depus deodată."})
    report.refresh_from_db()
    assert (report.status, report.narrative) == ("submitted", "Scris și depus deodată.")


def test_it_saves_the_narrative_of_a_draft(staff: Staff) -> None:
    report = _drafted(staff)
    _client(staff.tutor).post(f"/reports/{report.pk}/", {"narrative": "Am informat clasa."})
    assert Report.objects.get(pk=report.pk).narrative == "Am informat clasa."


def test_it_shows_the_receiver_the_steps_and_takes_them(staff: Staff) -> None:
    report = _drafted(staff)
    _client(staff.tutor).post(f"/reports/{report.pk}/submit/")
    counsellor = _client(staff.counsellor)
    page = counsellor.get(f"/reports/{report.pk}/").content.decode()
    assert 'data-step="register"' in page and 'data-step="return"' in page
    counsellor.post(f"/reports/{report.pk}/register/")
    assert Report.objects.get(pk=report.pk).registration == "1/10.02.2026"
    response = counsellor.post(f"/reports/{report.pk}/analyse/", {"note": ""}, follow=True)
    assert Report.objects.get(pk=report.pk).status == "registered"
    assert "directorului adjunct" in response.content.decode()


def test_it_shows_a_step_taken_twice_as_a_conflict(staff: Staff) -> None:
    report = _drafted(staff)
    client = _client(staff.tutor)
    client.post(f"/reports/{report.pk}/submit/")
    assert client.post(f"/reports/{report.pk}/submit/").status_code == 409


def test_it_speaks_english_to_who_asks(staff: Staff) -> None:
    report = _drafted(staff)
    with translation.override("en"):
        page = (
            _client(staff.tutor)
            .get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert "Save and submit the report" in page


def test_it_serves_the_documents_from_the_page(staff: Staff) -> None:
    report = _drafted(staff)
    client = _client(staff.tutor)
    assert client.get(f"/reports/{report.pk}/file.xlsx").status_code == 200
    assert client.get(f"/reports/{report.pk}/file.doc").status_code == 404


def test_it_links_a_report_notification_to_the_report(staff: Staff) -> None:
    report = _drafted(staff)
    page = _client(staff.tutor).get("/notifications/").content.decode()
    assert f'href="/reports/{report.pk}/"' in page
