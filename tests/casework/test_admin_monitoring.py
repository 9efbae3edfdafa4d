"""The admin: importing from a file, class assignments, instruments and thresholds."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from casework.models import ClassAssignment, Signal, Student, User
from tests.casework.monitoring_helpers import csv_bytes
from tests.conftest import sign_in
from tests.factories import World, make_student

DAY = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
HEADER = ["student_code", "kind", "value", "observed_on"]


def _it(world: World, language: str = "ro") -> Client:
    user = User.objects.create_superuser("it", password="x", email="it@example.org")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    sign_in(client, user)
    return client


def test_it_imports_signals_from_the_admin(world: World) -> None:
    make_student(world.school, code="A-1")
    client = _it(world)
    page = client.get("/admin/casework/signal/import/")
    assert page.status_code == 200
    assert "student_code,kind,value,observed_on[,note]" in page.content.decode()
    upload = SimpleUploadedFile("week.csv", csv_bytes([HEADER, ["A-1", "attendance", "91", DAY]]))
    response = client.post(
        "/admin/casework/signal/import/", {"file": upload, "school": world.school.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/casework/signal/"
    assert Signal.objects.get().import_run is not None
    changelist = client.get("/admin/casework/signal/").content.decode()
    assert '<a href="import/">Importați din fișier</a>' in changelist


def test_it_shows_every_bad_row_in_the_admin_and_writes_nothing(world: World) -> None:
    client = _it(world)
    upload = SimpleUploadedFile(
        "week.csv", csv_bytes([HEADER, ["A-1", "attendance", "91", DAY], ["A-2", "x", "", DAY]])
    )
    response = client.post(
        "/admin/casework/signal/import/", {"file": upload, "school": world.school.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # In the admin's language (Romanian by default), each bad row named by its line.
    assert "rândul 2, coloana student_code: niciun elev cu codul „A-1” în DEMO" in html
    assert "rândul 3, coloana kind:" in html
    assert not Signal.objects.exists()


def test_it_imports_students_from_the_admin_for_the_users_own_school(world: World) -> None:
    world.coordinator.is_staff = True
    world.coordinator.save()
    client = Client()
    client.force_login(world.coordinator)
    upload = SimpleUploadedFile(
        "students.csv",
        csv_bytes(
            [
                ["code", "first_name", "last_name", "class_name", "programme"],
                ["N-1", "Ana", "Pop", "9A", "Bucătar"],
            ]
        ),
    )
    form = client.get("/admin/casework/student/import/").content.decode()
    assert "OTHER" not in form
    response = client.post(
        "/admin/casework/student/import/", {"file": upload, "school": world.school.pk}
    )
    assert response.status_code == 302
    assert Student.objects.get(code="N-1").school == world.school


def test_it_refuses_the_import_page_to_staff_who_may_not_import(world: World) -> None:
    world.psychologist.is_staff = True
    world.psychologist.save()
    client = Client()
    client.force_login(world.psychologist)
    assert client.get("/admin/casework/student/import/").status_code == 403


def test_it_assigns_classes_only_within_the_users_school(world: World) -> None:
    client = _it(world, "en")
    refused = client.post(
        "/admin/casework/classassignment/add/",
        {"user": world.teacher.pk, "school": world.other_school.pk, "class_name": "10A"},
    )
    assert refused.status_code == 200
    assert "their own school" in refused.content.decode()
    accepted = client.post(
        "/admin/casework/classassignment/add/",
        {"user": world.teacher.pk, "school": world.school.pk, "class_name": " 10A "},
    )
    assert accepted.status_code == 302
    assert ClassAssignment.objects.get().class_name == "10A"


def test_it_edits_instruments_and_thresholds(world: World) -> None:
    client = _it(world, "en")
    assert client.get("/admin/casework/instrument/add/").status_code == 200
    response = client.post(
        "/admin/casework/riskpolicy/add/",
        {
            "school": world.school.pk,
            "window_days": 180,
            "attendance_caution_below": 95,
            "attendance_high_below": 96,
            "failures_high_at_least": 1,
            "behaviour_caution_at_least": 2,
            "behaviour_high_at_least": 6,
            "self_assessment_caution_below": 60,
            "self_assessment_high_below": 40,
        },
    )
    assert response.status_code == 200
    assert "Must not be above the caution threshold." in response.content.decode()


@override_settings(IMPORT_MAX_BYTES=100)
def test_it_names_the_size_limit_in_the_admin_and_writes_nothing(world: World) -> None:
    make_student(world.school, code="A-1")
    rows = [HEADER, *[["A-1", "attendance", "91", DAY]] * 10]
    response = _it(world, "en").post(
        "/admin/casework/signal/import/",
        {"file": SimpleUploadedFile("week.csv", csv_bytes(rows)), "school": world.school.pk},
    )
    assert response.status_code == 200
    assert "files of up to 100 bytes are imported" in response.content.decode()
    assert not Signal.objects.exists()
