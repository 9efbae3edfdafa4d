"""A form tutor records a class hour on her phone and ticks who is there, in Romanian: the
quick button for her class, the form saved as it comes, the list ticked and saved, and what the
next page says — at phone and desktop width, without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.conftest import requires_postgres
from tests.factories import make_student, make_user, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_takes_a_form_tutor_from_her_class_to_a_saved_attendance_list(
    server: str, browser: Any, device: dict[str, Any]
) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import Position
    from counselling.models import Attendee

    world = make_world()
    tutor = make_user("diriginta", world.school)
    # The test settings hash with MD5, which the server (real settings) does not accept.
    tutor.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    tutor.save(update_fields=["password"])
    Position.objects.create(user=tutor, school=world.school, position="form_tutor", class_name="9C")
    pupils = [
        make_student(world.school, class_name="9C", last_name=name, first_name="Elev")
        for name in ("Albu", "Bălan", "Ciobanu")
    ]
    width = device["viewport"]["width"]

    page = browser.new_context(locale="ro-RO", **device).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "diriginta")
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{server}/activities/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Cu clasa 9C").click()  # tap one
    page.wait_for_selector("form.ao-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Salvați și faceți prezența").click()  # tap two

    page.wait_for_selector("[data-attendance]")
    assert "Activitatea este înregistrată" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("Albu Elev").check()
    page.get_by_label("Ciobanu Elev").check()
    page.get_by_role("button", name="Salvați lista de prezență").click()

    page.wait_for_selector("text=Lista de prezență a fost salvată: 2 elevi.")
    assert page.is_checked("input[name=students][value='%d']" % pupils[0].pk)
    assert not page.is_checked("input[name=students][value='%d']" % pupils[1].pk)
    assert sorted(Attendee.objects.values_list("student__last_name", flat=True)) == [
        "Albu",
        "Ciobanu",
    ]
