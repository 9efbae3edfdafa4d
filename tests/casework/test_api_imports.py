"""Imports over the API: multipart ``file``, all or nothing, 400 listing the bad rows."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Signal, Student
from tests.casework.monitoring_helpers import csv_bytes, xlsx_bytes
from tests.conftest import client_for
from tests.factories import World, make_student

DAY = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
SIGNALS = ["student_code", "kind", "value", "observed_on", "note"]


def _upload(data: bytes, name: str = "signals.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_it_imports_a_signal_file(world: World) -> None:
    make_student(world.school, code="A-1")
    data = xlsx_bytes(
        [SIGNALS, ["A-1", "attendance", 91, DAY, ""], ["A-1", "behaviour", 1, DAY, ""]]
    )
    response = client_for(world.teacher).post(
        "/api/signals/import/", {"file": _upload(data, "week.xlsx")}, format="multipart"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["rows"], body["created"], body["school"], body["filename"]) == (
        2,
        2,
        "DEMO",
        "week.xlsx",
    )
    assert Signal.objects.count() == 2


def test_it_answers_400_listing_every_bad_row_and_writes_nothing(world: World) -> None:
    make_student(world.school, code="A-1")
    rows = [["A-1", "attendance", 91, DAY, ""]] * 2 + [["A-2", "attendance", 300, DAY, ""]]
    response = client_for(world.teacher).post(
        "/api/signals/import/", {"file": _upload(csv_bytes([SIGNALS, *rows]))}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "line 3, column observed_on: line 2 already gives this student's attendance for "
            "this date",
            "line 4, column student_code: no student with code 'A-2' in DEMO",
            "line 4, column value: attendance is a percentage between 0 and 100; got 300",
        ]
    }
    assert not Signal.objects.exists()


def test_it_asks_for_the_file(world: World) -> None:
    response = client_for(world.teacher).post("/api/signals/import/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_it_hides_other_schools_and_refuses_roles_that_may_not(world: World) -> None:
    data = csv_bytes([SIGNALS])
    outsider = client_for(world.outsider).post(
        "/api/signals/import/", {"file": _upload(data), "school": "DEMO"}, format="multipart"
    )
    assert outsider.status_code == 404
    network = client_for(world.network).post(
        "/api/signals/import/", {"file": _upload(data)}, format="multipart"
    )
    assert network.status_code == 403
    psychologist = client_for(world.psychologist).post(
        "/api/students/import/",
        {
            "file": _upload(
                csv_bytes([["code", "first_name", "last_name", "class_name", "programme"]])
            )
        },
        format="multipart",
    )
    assert psychologist.status_code == 403


def test_it_imports_a_student_file(world: World) -> None:
    data = csv_bytes(
        [
            ["code", "first_name", "last_name", "class_name", "programme", "birth_date"],
            ["N-1", "Ana", "Pop", "9A", "Bucătar", "01.09.2010"],
        ]
    )
    response = client_for(world.coordinator).post(
        "/api/students/import/", {"file": _upload(data, "students.csv")}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["created"] == 1
    assert Student.objects.get(code="N-1").birth_date == datetime.date(2010, 9, 1)
