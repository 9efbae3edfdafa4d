"""The first steps of a case as school staff live them, on a 390 px phone, in Romanian: the
teacher flags a student with the reason in her words, a psychologist claims the triage and
writes what the talk found. Each page that follows shows what was written, once, and fits the
screen with nothing in Romanian spelled with a cedilla or left in English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.pages import PHONE, check
from tests.conftest import requires_postgres
from tests.factories import World, make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000
REASON = "Lipsește de nouă zile luna aceasta; colegii spun că lucrează după ore"
SUMMARY = "Am vorbit cu Bianca și cu dirigintele: are nevoie de sprijin la matematică"


def _server_passwords(world: World) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.filter(school=world.school).update(password=password)
    User.objects.filter(pk=world.network.pk).update(password=password)


def _login(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="ro-RO", viewport=PHONE).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _fits(page: Any) -> None:
    assert check(page) == [], page.url


def test_it_flags_and_triages_on_a_phone_in_romanian(server: str, browser: Any) -> None:
    world = make_world()
    _server_passwords(world)
    student = make_student(world.school, first_name="Bianca", last_name="Stoica")

    teacher = _login(browser, server, "teacher")
    _fits(teacher)
    # The bell stays on screen beside the title.
    bell = teacher.locator("a.ao-bell").bounding_box()
    assert bell is not None and bell["x"] + bell["width"] <= PHONE["width"]
    teacher.goto(f"{server}/students/{student.pk}/")
    _fits(teacher)
    teacher.click(f"a[href='/cases/flag/{student.pk}/']")
    _fits(teacher)
    teacher.fill("#id_reason", REASON)
    teacher.check("input[name=functions][value=pedagogical]")
    teacher.click("form.ao-form button[type=submit]")
    teacher.wait_for_selector("[data-live-case]")
    _fits(teacher)
    case_id = int(teacher.get_attribute("[data-live-case]", "data-live-case"))
    assert REASON in teacher.inner_text("main")
    # The flash message is said once, in the page; no snackbar repeats it over the buttons.
    assert teacher.locator(".ao-message").count() == 1
    assert teacher.locator("vf-snackbar").count() == 0

    psychologist = _login(browser, server, "psychologist")
    psychologist.goto(f"{server}/tasks/queue/")
    _fits(psychologist)
    row = psychologist.locator("table[data-live-list=queue] tr[data-task]").first
    # With a task listed, the "nothing waiting" row stays hidden on a phone too.
    assert not psychologist.locator("table[data-live-list=queue] [data-empty]").is_visible()
    task_id = row.get_attribute("data-task")
    row.locator("button[type=submit]").click()
    psychologist.wait_for_url(f"**/tasks/{task_id}/execute/")
    _fits(psychologist)
    # The functions the teacher chose come ticked.
    assert psychologist.is_checked("input[name=recommended_functions][value=pedagogical]")
    psychologist.fill("#id_summary", SUMMARY)
    psychologist.select_option("#id_priority", "1")
    psychologist.click("form.ao-form button[type=submit]")
    psychologist.wait_for_url(f"**/cases/{case_id}/")
    _fits(psychologist)
    main = psychologist.inner_text("main")
    assert REASON in main and SUMMARY in main

    teacher.goto(f"{server}/cases/{case_id}/")
    _fits(teacher)
    assert SUMMARY in teacher.inner_text("main")
