"""The activity pages in Romanian: two taps for a form tutor's class, the list ticked, a file
with a bad row named by its line, the sheet to sign, and readers who only read."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from counselling.attendance_sheet import attendance_html
from counselling.models import Activity, Attendee
from tests.conftest import sign_in
from tests.counselling.conftest import Staff

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    return sign_in(Client(), user)


def _new_activity(client: Client) -> Activity:
    client.post(
        "/activities/new/",
        {
            "kind": "group",
            "topic": "mobility",
            "title": "Erasmus+",
            "channel": "direct",
            "held_on": datetime.date.today().isoformat(),
            "duration_minutes": 50,
            "class_name": "10A",
        },
    )
    return Activity.objects.get()


def test_it_takes_a_tutor_from_her_class_to_its_attendance_list_in_two_taps(staff: Staff) -> None:
    client = _client(staff.tutor)
    page = client.get("/activities/").content.decode()
    assert 'data-quick-class="10A"' in page
    assert "Cu clasa 10A" in page
    # Tap one: the form, filled in for the class today.
    form = client.get("/activities/new/?class_name=10A")
    initial = form.context["form"].initial
    assert initial["class_name"] == "10A"
    assert initial["kind"] == "group"
    assert initial["held_on"] == datetime.date.today()
    # Tap two: save, as filled in.
    saved = client.post(
        "/activities/new/",
        {
            "kind": "group",
            "topic": "career_routes",
            "title": initial["title"],
            "channel": "direct",
            "held_on": datetime.date.today().isoformat(),
            "duration_minutes": 50,
            "class_name": "10A",
        },
        follow=True,
    )
    activity = Activity.objects.get()
    assert saved.redirect_chain[-1][0] == f"/activities/{activity.pk}/"
    body = saved.content.decode()
    assert "Activitatea este înregistrată" in body
    for student in staff.students[:3]:
        assert f'value="{student.pk}"' in body
    assert f'value="{staff.students[3].pk}"' not in body  # 11B is not on 10A's list


def test_it_saves_the_ticked_list_and_says_how_many(staff: Staff) -> None:
    client = _client(staff.tutor)
    activity = _new_activity(client)
    saved = client.post(
        f"/activities/{activity.pk}/",
        {"students": [staff.students[0].pk, staff.students[2].pk], "codes": staff.students[3].code},
        follow=True,
    )
    assert "Lista de prezență a fost salvată: 3 elevi." in saved.content.decode()
    assert Attendee.objects.filter(activity=activity).count() == 3


def test_it_puts_errors_next_to_the_fields_in_romanian(staff: Staff) -> None:
    answer = _client(staff.tutor).post(
        "/activities/new/",
        {
            "kind": "individual",
            "topic": "other",
            "title": "Discuție",
            "channel": "phone",
            "held_on": datetime.date.today().isoformat(),
            "duration_minutes": 20,
            "student_code": "NU-EXISTA",
        },
    )
    assert answer.status_code == 200
    assert "Niciun elev al școlii dumneavoastră nu are codul NU-EXISTA." in answer.content.decode()
    assert not Activity.objects.exists()


def test_it_names_the_line_of_a_bad_row_in_an_attendance_file(staff: Staff) -> None:
    client = _client(staff.tutor)
    activity = _new_activity(client)
    upload = SimpleUploadedFile(
        "prezenta.csv", f"code\n{staff.students[0].code}\nX-9\n".encode(), "text/csv"
    )
    answer = client.post(f"/activities/{activity.pk}/import/", {"file": upload})
    assert answer.status_code == 400
    assert "rândul 3: niciun elev al școlii nu are codul X-9" in answer.content.decode()
    assert not Attendee.objects.exists()


def test_it_shows_readers_the_list_without_a_form(staff: Staff) -> None:
    client = _client(staff.tutor)
    activity = _new_activity(client)
    client.post(f"/activities/{activity.pk}/", {"students": [staff.students[1].pk]})
    page = _client(staff.director).get(f"/activities/{activity.pk}/").content.decode()
    assert "Barbu Bogdan" in page
    assert "Avram Ana" not in page
    assert "data-attendance" not in page


def test_it_refuses_the_activities_to_those_who_neither_record_nor_read(staff: Staff) -> None:
    refused = _client(staff.world.social).get("/activities/")
    assert refused.status_code == 403
    assert "citite de conducerea școlii" in refused.content.decode()


def test_it_opens_the_file_section_when_the_file_was_refused(staff: Staff) -> None:
    client = _client(staff.tutor)
    activity = _new_activity(client)
    upload = SimpleUploadedFile("p.csv", b"code\nX-9\n", "text/csv")
    answer = client.post(f"/activities/{activity.pk}/import/", {"file": upload})
    assert '<details class="ao-details" open>' in answer.content.decode()


def test_it_orders_classes_by_year_then_letter(staff: Staff) -> None:
    from counselling.selectors import classes_of_school
    from tests.factories import make_student

    make_student(staff.world.school, class_name="9C")
    assert classes_of_school(staff.world.school.pk) == ["9C", "10A", "11B"]


def test_it_shows_the_menu_entry_to_those_who_record_or_read(staff: Staff) -> None:
    assert "/activities/" in _client(staff.tutor).get("/notifications/").content.decode()
    assert "/activities/" in _client(staff.ceiac).get("/notifications/").content.decode()
    assert "/activities/" not in _client(staff.world.social).get("/notifications/").content.decode()


def test_it_prints_the_class_to_sign_before_anyone_is_ticked(staff: Staff) -> None:
    client = _client(staff.tutor)
    client.post(
        "/activities/new/",
        {
            "kind": "group",
            "topic": "dropout_prevention",
            "title": "Prevenirea abandonului",
            "channel": "direct",
            "held_on": datetime.date.today().isoformat(),
            "duration_minutes": 50,
            "class_name": "10A",
        },
    )
    activity = Activity.objects.get()
    html = attendance_html(activity)
    assert "Listă de prezență" in html
    assert "Avram Ana" in html and "Cazacu Carmen" in html and "Dinu Dan" not in html
    assert "Semnătura" in html
    sheet = client.get(f"/activities/{activity.pk}/attendance.pdf")
    assert sheet.status_code == 200
    assert sheet.content.startswith(b"%PDF")
