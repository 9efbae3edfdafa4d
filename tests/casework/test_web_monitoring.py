"""The watchlist and the student page on the web: risk with its reasons, signals, the signal
form, one-time questionnaire links; by role, errors next to the fields."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import ClassAssignment, InstrumentLink, Signal, Student
from tests.casework.monitoring_helpers import record
from tests.factories import World, make_student
from workflows import services

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_it_lists_my_classes_most_at_risk_first_with_reasons(world: World) -> None:
    ClassAssignment.objects.create(user=world.teacher, school=world.school, class_name="10A")
    calm = make_student(world.school, last_name="Calm", class_name="10A")
    worry = make_student(world.school, last_name="Worry", class_name="10A")
    other = make_student(world.school, last_name="Elsewhere", class_name="11C")
    record(calm, "attendance", 99, _days_ago(1))
    record(worry, "attendance", 85, _days_ago(1))
    record(other, "attendance", 80, _days_ago(1))
    page = _client(world.teacher).get("/students/watchlist/").content.decode()
    assert page.index(f'data-student="{worry.pk}"') < page.index(f'data-student="{calm.pk}"')
    assert f'data-student="{other.pk}"' not in page
    assert "Chronic absence: attendance 85%" in page
    assert "worse" in page
    assert f'href="/cases/flag/{worry.pk}/"' in page


def test_it_filters_the_watchlist_by_level_and_scope(world: World) -> None:
    high = make_student(world.school, class_name="11C")
    none = make_student(world.school, class_name="11C")
    record(high, "attendance", 80, _days_ago(1))
    record(none, "attendance", 99, _days_ago(1))
    # A psychologist has no classes: the whole school by default.
    page = _client(world.psychologist).get("/students/watchlist/?level=high").content.decode()
    assert f'data-student="{high.pk}"' in page and f'data-student="{none.pk}"' not in page


def test_it_shows_an_open_case_instead_of_a_flag_button(world: World, student: Student) -> None:
    ClassAssignment.objects.create(user=world.teacher, school=world.school, class_name="10A")
    record(student, "attendance", 80, _days_ago(1))
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Absent", functions=["pedagogical"]
    )
    page = _client(world.teacher).get("/students/watchlist/").content.decode()
    assert f'data-open-case="{case.pk}"' in page
    assert f'href="/cases/flag/{student.pk}/"' not in page


def test_it_shows_the_students_risk_and_signals(world: World, student: Student) -> None:
    record(student, "behaviour", 3, _days_ago(2))
    page = _client(world.teacher).get(f"/students/{student.pk}/").content.decode()
    assert 'data-risk="caution"' in page
    assert "3 behaviour incidents in the last 365 days" in page
    assert page.count("data-signal=") == 1


def test_it_records_a_signal_from_the_student_page(world: World, student: Student) -> None:
    response = _client(world.teacher).post(
        f"/students/{student.pk}/signals/",
        {"kind": "attendance", "value": "87,5", "observed_on": _days_ago(1).isoformat()},
    )
    assert response.status_code == 302
    signal = Signal.objects.get(student=student)
    assert signal.value == 87.5 and signal.recorded_by == world.teacher


def test_it_puts_signal_errors_next_to_the_fields(world: World, student: Student) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _client(world.teacher).post(
        f"/students/{student.pk}/signals/",
        {"kind": "attendance", "value": "140", "observed_on": tomorrow},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_signal_value_error"' in page and 'id="id_signal_observed_on_error"' in page
    assert not Signal.objects.exists()


def test_it_hides_signals_from_other_schools(world: World, student: Student) -> None:
    assert _client(world.outsider).get(f"/students/{student.pk}/").status_code == 404
    response = _client(world.outsider).post(
        f"/students/{student.pk}/signals/",
        {"kind": "behaviour", "value": "1", "observed_on": _days_ago(1).isoformat()},
    )
    assert response.status_code == 404
    assert not Signal.objects.exists()


def test_it_makes_a_one_time_link_shown_once(world: World, student: Student) -> None:
    response = _client(world.teacher).post(
        f"/students/{student.pk}/instrument-link/",
        {"instrument": "autoevaluare-abandon", "expires_in_days": 7},
    )
    assert response.status_code == 201
    link = InstrumentLink.objects.get(student=student)
    page = response.content.decode()
    assert "data-instrument-link" in page and "/assessment/" in page
    # The page that lists the student later does not show it again.
    again = _client(world.teacher).get(f"/students/{student.pk}/").content.decode()
    assert "data-instrument-link" not in again
    assert link.created_by == world.teacher


def test_it_starts_the_flag_form_from_the_risk_suggestion(world: World, student: Student) -> None:
    record(student, "grade_failures", 2, _days_ago(1))
    page = _client(world.teacher).get(f"/cases/flag/{student.pk}/").content.decode()
    assert "Failing 2 courses" in page
    checked = re.findall(r'<input[^>]*name="functions"[^>]*>', page)
    assert {c.split('value="')[1].split('"')[0] for c in checked if " checked" in c} == {
        "information",
        "pedagogical",
    }


def test_it_explains_instead_of_offering_a_flag_where_the_school_has_no_office(
    world: World,
) -> None:
    student = make_student(world.other_school, class_name="9B")
    ClassAssignment.objects.create(user=world.outsider, school=world.other_school, class_name="9B")
    record(student, "attendance", 80, _days_ago(1))
    client = _client(world.outsider)
    for url in (f"/students/{student.pk}/", "/students/watchlist/", f"/cases/flag/{student.pk}/"):
        page = client.get(url).content.decode()
        assert "data-flag-refusal" in page and "no action office yet" in page, url
        assert f'href="/cases/flag/{student.pk}/"' not in page, url
    assert "<textarea" not in client.get(f"/cases/flag/{student.pk}/").content.decode()
