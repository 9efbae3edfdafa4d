"""The students' information pack: a public page for phones and a PDF, in the school's language
and English, kept by the office's coordinators with the office's own contact only, and handed
out to a class as an information activity."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from casework.errors import Conflict, Forbidden, Invalid
from counselling.models import Activity, InfoPack
from counselling.services import info_pack_hand_out, info_pack_save
from tests.conftest import sign_in
from tests.counselling.conftest import Staff
from tests.factories import World, make_student

pytestmark = pytest.mark.django_db

CONTACT = {
    "room": "Sala 12, etajul 1",
    "hours": "luni-vineri 08.00-16.00",
    "email": "birou.actiune@scoala.example",
    "note": "Ușa noastră e deschisă.",
    "note_en": "Our door is open.",
}


def _saved(world: World) -> InfoPack:
    return info_pack_save(actor=world.coordinator, school=world.school, **CONTACT)


def test_it_shows_the_pack_to_anyone_without_signing_in_in_the_schools_language(
    world: World,
) -> None:
    _saved(world)
    response = Client().get(f"/info/{world.school.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.school.name in page
    assert "Cum cereți ajutor" in page or "Cum ceri ajutor" in page
    assert "Sala 12, etajul 1" in page
    assert "birou.actiune@scoala.example" in page
    assert "Ușa noastră e deschisă." in page
    assert "Confidențialitate" in page
    assert response["X-Robots-Tag"] == "noindex"


def test_it_shows_the_pack_in_english_when_asked(world: World) -> None:
    _saved(world)
    page = Client().get(f"/info/{world.school.code}/?lang=en").content.decode()
    assert "How to ask for help" in page
    assert "Our door is open." in page
    assert "Ușa noastră" not in page
    assert 'lang="en"' in page


def test_it_answers_an_unknown_school_with_404(world: World) -> None:
    assert Client().get("/info/NO-SUCH-SCHOOL/").status_code == 404
    assert Client().get("/info/NO-SUCH-SCHOOL/pack.pdf").status_code == 404


def test_it_shows_an_empty_pack_before_the_office_writes_it(world: World) -> None:
    page = Client().get(f"/info/{world.school.code}/").content.decode()
    assert "formă știe cum" in page or "diriginte" in page.lower()
    assert not InfoPack.objects.exists()


def test_it_prints_the_pack_as_a_pdf_with_the_offices_contact(world: World) -> None:
    _saved(world)
    for language, heading in (("ro", "Confidențialitate"), ("en", "Confidentiality")):
        response = Client().get(f"/info/{world.school.code}/pack.pdf?lang={language}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "birou.actiune@scoala.example" in text
        assert heading in text


def test_it_lets_only_the_offices_coordinators_edit_the_pack(world: World, staff: Staff) -> None:
    for user in (world.teacher, world.psychologist, staff.director, world.outsider):
        with pytest.raises(Forbidden):
            info_pack_save(actor=user, school=world.school, **CONTACT)
    assert not InfoPack.objects.exists()
    pack = _saved(world)
    assert pack.updated_by == world.coordinator
    assert InfoPack.objects.get().room == "Sala 12, etajul 1"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours", "sunați la 0722 123 456"),
        ("note", "Telefon: +373 22 123456"),
        ("room", "Sala 3 (tel. 0231.555.111)"),
        ("note_en", "call 07221234567"),
    ],
)
def test_it_refuses_a_phone_number_anywhere_in_the_pack(
    world: World, field: str, value: str
) -> None:
    with pytest.raises(Invalid) as refused:
        info_pack_save(actor=world.coordinator, school=world.school, **{**CONTACT, field: value})
    assert list(refused.value.fields) == [field]
    assert "telefon" in str(refused.value.fields[field])
    assert not InfoPack.objects.exists()


def test_it_refuses_a_staff_members_own_email(world: World) -> None:
    world.psychologist.email = "ana.popescu@scoala.example"
    world.psychologist.save()
    for field in ("email", "note"):
        with pytest.raises(Invalid) as refused:
            info_pack_save(
                actor=world.coordinator,
                school=world.school,
                **{**CONTACT, field: "Ana.Popescu@scoala.example"},
            )
        assert list(refused.value.fields) == [field]
    assert not InfoPack.objects.exists()


def test_it_edits_the_pack_on_its_page_and_shows_errors_next_to_the_field(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    page = client.get("/activities/info-pack/").content.decode()
    assert "Pachetul informativ" in page or "pachet" in page.lower()
    refused = client.post("/activities/info-pack/", {**CONTACT, "hours": "0722 123 456"})
    assert refused.status_code == 400
    assert "telefon" in refused.content.decode()
    assert not InfoPack.objects.exists()
    saved = client.post("/activities/info-pack/", CONTACT)
    assert saved.status_code == 302
    assert InfoPack.objects.get().email == CONTACT["email"]
    assert "Sala 12" in client.get(saved["Location"]).content.decode()


def test_it_refuses_the_page_to_staff_who_neither_edit_nor_hand_out(world: World) -> None:
    for user in (world.admin_staff, world.outsider):
        response = sign_in(Client(), user).post("/activities/info-pack/", CONTACT)
        assert response.status_code == 403
    assert not InfoPack.objects.exists()


def test_it_shows_the_pack_in_the_menu_of_those_who_keep_it(world: World, staff: Staff) -> None:
    assert (
        "/activities/info-pack/"
        in sign_in(Client(), world.coordinator).get("/activities/").content.decode()
    )
    assert (
        "/activities/info-pack/"
        in sign_in(Client(), staff.tutor).get("/activities/").content.decode()
    )
    assert (
        "/activities/info-pack/"
        not in sign_in(Client(), world.admin_staff).get("/notifications/").content.decode()
    )


def test_it_records_handing_the_pack_to_a_class_as_an_information_activity(
    staff: Staff,
) -> None:
    client = sign_in(Client(), staff.tutor)
    today = datetime.date.today()
    response = client.post(
        "/activities/info-pack/hand-out/", {"class_name": "10A", "held_on": today.isoformat()}
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert (activity.kind, activity.channel, activity.topic) == (
        "group",
        "direct",
        "dropout_prevention",
    )
    assert activity.class_name == "10A"
    assert activity.author == staff.tutor
    assert "pachetul informativ" in activity.title.lower()


def test_it_refuses_a_hand_out_without_a_class_or_by_someone_who_does_not_record(
    staff: Staff,
) -> None:
    today = datetime.date.today()
    with pytest.raises(Invalid) as refused:
        info_pack_hand_out(actor=staff.tutor, class_name="", held_on=today)
    assert list(refused.value.fields) == ["class_name"]
    with pytest.raises(Invalid):
        info_pack_hand_out(actor=staff.tutor, class_name="99Z", held_on=today)
    with pytest.raises(Forbidden):
        info_pack_hand_out(actor=staff.director, class_name="10A", held_on=today)
    page = sign_in(Client(), staff.tutor).post(
        "/activities/info-pack/hand-out/", {"class_name": "", "held_on": today.isoformat()}
    )
    assert page.status_code == 400
    assert not Activity.objects.exists()


def test_it_records_one_hand_out_per_class_and_day(staff: Staff) -> None:
    today = datetime.date.today()
    info_pack_hand_out(actor=staff.tutor, class_name="10A", held_on=today)
    with pytest.raises(Conflict):
        info_pack_hand_out(actor=staff.counsellor, class_name="10A", held_on=today)
    info_pack_hand_out(actor=staff.tutor, class_name="10A", held_on=today - datetime.timedelta(1))
    assert Activity.objects.count() == 2


def test_it_lists_the_schools_open_opportunities_without_a_participant(world: World) -> None:
    from support.services import opportunity_add, participation_propose, participation_transition

    today = datetime.date.today()

    def offer(title: str, starts: int, places: int | None) -> Any:
        return opportunity_add(
            actor=world.coordinator,
            kind="practice_placement",
            title=title,
            starts_on=today + datetime.timedelta(days=starts),
            ends_on=today + datetime.timedelta(days=starts + 9),
            places=places,
        )

    offer("Stagiu la service auto", 10, None)
    offer("Stagiu trecut", -20, None)
    full = offer("Stagiu ocupat", 5, 1)
    taken = participation_propose(
        opportunity=full,
        actor=world.coordinator,
        student=make_student(world.school, first_name="Zoe", birth_date=datetime.date(2000, 1, 1)),
        role="learner",
    )
    for move in ("select", "confirm"):
        participation_transition(participation=taken, actor=world.coordinator, name=move)
    page = Client().get(f"/info/{world.school.code}/").content.decode()
    assert "Oportunități deschise" in page
    assert "Stagiu la service auto" in page
    assert "Stagiu trecut" not in page and "Stagiu ocupat" not in page
    assert "Zoe" not in page
