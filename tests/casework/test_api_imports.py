"""Imports over the API: multipart ``file``, all or nothing, 400 listing the bad rows."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

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
        "/api/signals/import/",
        {"file": _upload(csv_bytes([SIGNALS, *rows]))},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
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


def test_it_lists_the_first_100_problems_and_counts_them_all(world: World) -> None:
    make_student(world.school, code="A-1")
    good = ["A-1", "attendance", 91, DAY, ""]
    bad = [["A-1", "attendance", 300 + i, DAY, ""] for i in range(1000)]
    response = client_for(world.teacher).post(
        "/api/signals/import/",
        {"file": _upload(xlsx_bytes([SIGNALS, good, good, *bad]), "week.xlsx")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    listed = response.json()["file"]
    assert len(listed) == 101
    assert listed[0].startswith("line 3, column observed_on: line 2 already gives")
    assert listed[1] == (
        "line 4, column value: attendance is a percentage between 0 and 100; got 300"
    )
    assert listed[-1] == (
        "... and 901 more problem(s), 1,001 in all; fix these and import the file again to "
        "see the rest."
    )


def test_it_counts_repeated_rows_past_the_first_100(world: World) -> None:
    make_student(world.school, code="A-1")
    rows = [["A-1", "attendance", 91, DAY, ""]] * 250
    response = client_for(world.teacher).post(
        "/api/signals/import/",
        {"file": _upload(csv_bytes([SIGNALS, *rows]))},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    listed = response.json()["file"]
    assert [line.split(",")[0] for line in listed[:100]] == [f"line {n}" for n in range(3, 103)]
    assert listed[-1].startswith("... and 149 more problem(s), 249 in all")


@override_settings(IMPORT_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit_naming_it(world: World) -> None:
    data = (
        csv_bytes([["code", "first_name", "last_name", "class_name", "programme"]]) + b"\n" * 1000
    )
    response = client_for(world.coordinator).post(
        "/api/students/import/",
        {"file": _upload(data, "students.csv")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "The file is 1.0 KB; files of up to 1000 bytes are imported. Split it into smaller "
            "files."
        ]
    }
