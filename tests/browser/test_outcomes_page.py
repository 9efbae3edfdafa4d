"""A director reads the outcomes on her phone, in Romanian: the key figures, the retention
table with its bars, and a suppressed cell of the grid saying why — without sideways
scrolling, without an English word."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tests.browser.conftest import requires_chromium
from tests.browser.pages import PHONE, check
from tests.conftest import requires_postgres
from tests.factories import advance, make_student, make_user, make_world, reload

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]


def test_it_shows_a_director_the_outcomes_on_a_phone(server: str, browser: Any) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import Position, Student
    from workflows import services

    world = make_world()
    director = make_user("directoare", world.school)
    # The test settings hash with MD5, which the server (real settings) does not accept.
    director.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    director.save(update_fields=["password"])
    Position.objects.create(user=director, school=world.school, position="director")
    flagged_on = datetime.datetime.now() - datetime.timedelta(days=300)
    for _n in range(4):
        student = make_student(world.school)
        with time_machine.travel(flagged_on, tick=False):
            case = services.case_flag(
                student=student, actor=world.teacher, reason="r", functions=["pedagogical"]
            )
            advance(reload(case), world, "intervention")
    make_student(world.school)
    Student.objects.filter(pk=student.pk).update(
        status="dropped_out", left_on=datetime.date.today() - datetime.timedelta(days=30)
    )

    page = browser.new_context(locale="ro-RO", viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "directoare")
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{server}/outcomes/")
    assert check(page) == []
    text = page.inner_text("main")
    assert "Menținerea în școală" in text
    assert "nu se afișează: mai puțin de 5 elevi" in text
    assert page.locator("[data-retention] progress").count() >= 1
