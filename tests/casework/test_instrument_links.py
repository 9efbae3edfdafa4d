"""The one-time instrument link: given by staff, filled in by the student on a phone, once."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from casework.models import (
    Case,
    CaseEvent,
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    Signal,
    Student,
    StudentRisk,
)
from tests.conftest import client_for
from tests.factories import World, make_student


def _give(world: World, student: Student, user: Any = None, **body: Any) -> Any:
    payload = {"instrument": "autoevaluare-abandon", **body}
    return client_for(user or world.teacher).post(
        f"/api/students/{student.pk}/instrument-links/", payload, format="json"
    )


def _link(world: World, student: Student) -> str:
    response = _give(world, student)
    assert response.status_code == 201, response.content
    url: str = response.json()["url"]
    return url.removeprefix("http://testserver")


def _answers(instrument: Instrument, answer: int = 2) -> dict[str, str]:
    return {f"item_{item.position}": str(answer) for item in instrument.items.all()}


def _student_post(url: str, data: dict[str, str]) -> Any:
    # Students have no account: an anonymous browser with the CSRF check on.
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    return browser.post(url, {**data, "csrfmiddlewaretoken": token.group(1)})


def test_it_gives_a_link_shown_once(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    response = _give(world, student, expires_in_days=3)
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == f"http://testserver/assessment/{body['token']}/"
    assert (body["instrument"], body["status"], body["used_at"]) == (
        "autoevaluare-abandon",
        "open",
        None,
    )
    link = InstrumentLink.objects.get(pk=body["id"])
    assert body["token"] not in link.token_hash
    assert link.expires_at - link.created_at == datetime.timedelta(days=3)
    listed = client_for(world.teacher).get(f"/api/students/{student.pk}/instrument-links/")
    assert [row["id"] for row in listed.json()] == [link.pk]
    assert "token" not in listed.json()[0] and "url" not in listed.json()[0]


def test_it_lists_the_instruments_in_use(world: World, default_instrument: Instrument) -> None:
    Instrument.objects.create(code="old", name="Old", kind="self_assessment", is_active=False)
    Instrument.objects.create(
        code="theirs", name="T", kind="psychometric", school=world.other_school
    )
    codes = [i["code"] for i in client_for(world.teacher).get("/api/instruments/").json()]
    assert codes == ["autoevaluare-abandon"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"instrument": "nope"}, "instrument"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 31}, "expires_in_days"),
    ],
)
def test_it_names_the_bad_field(
    world: World, student: Student, default_instrument: Instrument, body: dict[str, Any], field: str
) -> None:
    response = _give(world, student, **body)
    assert response.status_code == 400 and field in response.json()
    assert not InstrumentLink.objects.exists()


def test_it_keeps_psychometric_tests_for_group_2(world: World, student: Student) -> None:
    test = Instrument.objects.create(code="test", name="A test", kind="psychometric")
    Item.objects.create(instrument=test, position=1, text="Item")
    assert _give(world, student, instrument="test").status_code == 403
    assert _give(world, student, world.psychologist, instrument="test").status_code == 201
    assert _give(world, student, world.coordinator, instrument="test").status_code == 201


def test_it_hides_other_schools_students(world: World, default_instrument: Instrument) -> None:
    other = make_student(world.other_school)
    assert _give(world, other).status_code == 404
    assert _give(world, make_student(world.school), world.network).status_code == 404


def test_it_serves_a_minimal_phone_friendly_page_without_login(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    response = Client().get(_link(world, student))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="ro">' in html
    assert default_instrument.name in html
    assert html.count('type="radio"') == 16 * 5
    assert html.count("<fieldset") == 16 and html.count("<legend>") == 16
    assert "Deloc adevărat" in html
    assert "Trimiteți răspunsurile" in html
    assert student.last_name not in html and student.code not in html
    assert "<script" not in html and not re.search(r'(src|href)="https?:', html)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_it_turns_the_score_into_a_signal_and_refreshes_risk(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    response = _student_post(_link(world, student), _answers(default_instrument, 2))
    assert response.status_code == 200
    assert "Răspunsurile dumneavoastră au fost trimise." in response.content.decode()
    answer = InstrumentResponse.objects.get()
    # Answering 2 everywhere: 11 items score 2 and the 5 reverse-scored ones 4 -> mean 2.625.
    assert (answer.score, answer.level, answer.student) == (Decimal("40.6"), "caution", student)
    signal = Signal.objects.get()
    assert (signal.kind, signal.value, signal.source) == (
        "self_assessment",
        Decimal("40.6"),
        "instrument",
    )
    assert (signal.instrument, signal.recorded_by) == (default_instrument, world.teacher)
    assert signal.observed_on == timezone.localdate()
    assert StudentRisk.objects.get(student=student).level == "caution"


def test_it_refuses_the_link_a_second_time(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    assert _student_post(url, _answers(default_instrument)).status_code == 200
    again = Client().get(url)
    assert again.status_code == 410
    assert InstrumentResponse.objects.count() == 1
    link = InstrumentLink.objects.get()
    assert link.used_at is not None and link.status == "used"


def test_it_refuses_a_submission_after_the_first(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    browser = Client()
    browser.get(url)
    assert browser.post(url, _answers(default_instrument)).status_code == 200
    assert browser.post(url, _answers(default_instrument, 5)).status_code == 410
    assert InstrumentResponse.objects.get().score == Decimal("40.6")


def test_it_refuses_an_expired_link(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
        response = Client().get(url)
        late = Client().post(url, _answers(default_instrument))
        assert InstrumentLink.objects.get().status == "expired"
    assert (response.status_code, late.status_code) == (410, 410)
    assert not InstrumentResponse.objects.exists()


def test_it_revokes_a_link_through_the_api_before_it_is_used(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    link = InstrumentLink.objects.get()
    response = client_for(world.teacher).post(f"/api/instrument-links/{link.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    page = Client().get(url)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode() or "retras" in page.content.decode()
    assert Client().post(url, _answers(default_instrument)).status_code == 410
    assert not InstrumentResponse.objects.exists()


def test_it_refuses_to_revoke_a_used_link_and_hides_other_schools_links(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    link = InstrumentLink.objects.get()
    assert (
        client_for(world.outsider).post(f"/api/instrument-links/{link.pk}/revoke/").status_code
        == 404
    )
    assert client_for(world.network).post(
        f"/api/instrument-links/{link.pk}/revoke/"
    ).status_code in (403, 404)
    _student_post(url, _answers(default_instrument))
    used = client_for(world.teacher).post(f"/api/instrument-links/{link.pk}/revoke/")
    assert used.status_code == 409
    assert InstrumentLink.objects.get().status == "used"


def test_it_revokes_a_link_from_the_students_page(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    link = InstrumentLink.objects.get()
    web = Client()
    web.force_login(world.teacher)
    page = web.get(f"/students/{student.pk}/").content.decode()
    assert f"/students/{student.pk}/instrument-links/{link.pk}/revoke/" in page
    response = web.post(f"/students/{student.pk}/instrument-links/{link.pk}/revoke/")
    assert response.status_code == 302
    assert Client().get(url).status_code == 410
    assert InstrumentLink.objects.get().status == "revoked"


def test_it_answers_404_to_an_unknown_token(db: None) -> None:
    assert Client().get("/assessment/not-a-real-token/").status_code == 404


def test_it_asks_again_for_missing_answers_and_keeps_the_given_ones(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    url = _link(world, student)
    answers = _answers(default_instrument, 4)
    del answers["item_3"], answers["item_9"]
    answers["item_5"] = "9"
    response = Client().post(url, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert html.count('class="field-error"') == 3
    assert 'aria-describedby="item_3-error"' in html
    assert 'name="item_1" value="4" required checked' in html
    assert not InstrumentResponse.objects.exists()
    assert InstrumentLink.objects.get().used_at is None


def test_it_puts_the_score_on_an_open_cases_timeline(
    world: World, case: Case, default_instrument: Instrument
) -> None:
    _student_post(_link(world, case.student), _answers(default_instrument, 1))
    event = CaseEvent.objects.get(case=case, kind="signal")
    assert event.name == "self_assessment" and event.actor is None


def test_it_shows_pre_and_post_scores(
    world: World, student: Student, default_instrument: Instrument
) -> None:
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40)):
        _student_post(_link(world, student), _answers(default_instrument, 1))
    _student_post(_link(world, student), _answers(default_instrument, 4))
    response = client_for(world.psychologist).get(
        f"/api/students/{student.pk}/assessments/", {"instrument": "autoevaluare-abandon"}
    )
    history = response.json()
    # All 1s: the reverse-scored items count 5 -> mean 2.25 -> 31.3; all 4s -> 3.375 -> 59.4.
    assert [h["score"] for h in history] == [31.3, 59.4]
    assert history[1]["change_since_first"] == pytest.approx(28.1)
    assert Signal.objects.filter(kind="self_assessment").count() == 2
    hidden = client_for(world.outsider).get(f"/api/students/{student.pk}/assessments/")
    assert hidden.status_code == 404


def test_it_speaks_the_instruments_language(world: World, student: Student) -> None:
    english = Instrument.objects.create(
        code="en-check", name="Check-in", kind="self_assessment", language="en"
    )
    Item.objects.create(instrument=english, position=1, text="I like school")
    response = _give(world, student, instrument="en-check")
    html = Client().get(response.json()["url"]).content.decode()
    assert '<html lang="en">' in html and "Send my answers" in html
