"""The students' information pack through its pages, in Romanian, on a phone and on a desktop:
the office's coordinator fills in the office's room, hours, e-mail and a word for students and
saves them, hands the pack out to a class, and the page that follows each form says what was
recorded; the public page a student opens (no login) shows what the coordinator wrote."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.pages import DESKTOP, PHONE, check
from tests.conftest import requires_postgres
from tests.factories import ROLE_NAMES, World, make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000
WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
ROOM = "Sala 12, etajul întâi"
HOURS = "Luni-vineri, 12:00-14:00"
EMAIL = "birou.actiune@liceu-demo.ro"
NOTE = "Ne găsiți în pauza mare; puteți veni și cu un coleg."
NOTE_EN = "Find us at the long break; you may bring a friend."


def _ro(message: str) -> str:
    from django.utils import translation

    with translation.override("ro"):
        return str(translation.gettext(message))


def _server_passwords(world: World) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.filter(school=world.school).update(password=password)


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    page = browser.new_context(locale="ro-RO", viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT)
    return page


def _fits_in_romanian(page: Any) -> None:
    # The test users are named after their roles ("Coordinator"): names, not messages.
    names = {name.lower() for name in ROLE_NAMES}
    found = [p for p in check(page) if p.split(": ", 1)[-1].strip("'\"").lower() not in names]
    assert found == [], page.url


@pytest.mark.parametrize("viewport", WIDTHS)
def test_it_fills_the_pack_hands_it_out_and_shows_it_to_students(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    world = make_world()
    _server_passwords(world)
    make_student(world.school, class_name="10A")

    coordinator = _page(browser, viewport)
    coordinator.goto(f"{server}/accounts/login/")
    coordinator.fill("#id_username", "coordinator")
    coordinator.fill("#id_password", "demo")
    coordinator.click("form.ao-login button[type=submit]")
    coordinator.wait_for_url(lambda url: "/accounts/login/" not in url)

    # The office's contact, saved.
    coordinator.goto(f"{server}/activities/info-pack/")
    _fits_in_romanian(coordinator)
    coordinator.fill("#id_room", ROOM)
    coordinator.fill("#id_hours", HOURS)
    coordinator.fill("#id_email", EMAIL)
    coordinator.fill("#id_note", NOTE)
    coordinator.fill("#id_note_en", NOTE_EN)
    with coordinator.expect_navigation():
        coordinator.click("form[action='/activities/info-pack/'] button[type=submit]")
    assert coordinator.locator(".ao-message").all_inner_texts() == [
        _ro("The information pack is saved.")
    ]
    assert coordinator.input_value("#id_room") == ROOM
    assert coordinator.input_value("#id_note") == NOTE
    _fits_in_romanian(coordinator)

    # An e-mail that is not one: refused next to its field, nothing else lost.
    coordinator.fill("#id_email", "birou la liceu")
    coordinator.fill("#id_hours", "Marți, 10:00-12:00")
    coordinator.click("form[action='/activities/info-pack/'] button[type=submit]")
    coordinator.wait_for_selector(".ao-field--invalid #id_email")
    assert coordinator.input_value("#id_hours") == "Marți, 10:00-12:00"
    _fits_in_romanian(coordinator)

    # Handed out to a class: an information activity, and its attendance list next.
    coordinator.goto(f"{server}/activities/info-pack/")
    coordinator.select_option("#id_class_name", "10A")
    coordinator.fill("#id_held_on", datetime.date.today().isoformat())
    with coordinator.expect_navigation():
        coordinator.click("form[action='/activities/info-pack/hand-out/'] button[type=submit]")
    assert "/activities/" in coordinator.url and "info-pack" not in coordinator.url
    assert coordinator.locator(".ao-message").all_inner_texts() == [
        _ro("Recorded as an information activity: now the attendance list.")
    ]
    main = coordinator.inner_text("main")
    with_title = _ro("The students' information pack on school drop-out")
    assert with_title in main and "10A" in main
    _fits_in_romanian(coordinator)

    # What a student opens, signed out: the coordinator's words, in Romanian.
    student = _page(browser, viewport)
    student.goto(f"{server}/info/DEMO/")
    text = student.inner_text("body")
    assert ROOM in text and HOURS in text and EMAIL in text and NOTE in text
    assert NOTE_EN not in text
    _fits_in_romanian(student)
    student.goto(f"{server}/info/DEMO/?lang=en")
    assert NOTE_EN in student.inner_text("body")
