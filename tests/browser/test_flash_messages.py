"""The message a page shows after a form is posted ("Objective added to the plan.") sits in the
page's flow, once, and covers no button or link, on a 390 px phone and on a desktop: a form
is posted on a few pages and the boxes of the message and of every control are compared."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.pages import DESKTOP, PHONE
from tests.conftest import requires_postgres
from tests.factories import World, advance, make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000
WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]

# Every visible control that a message box (a flash message or a live toast) overlaps, by the
# boxes the browser laid out; the controls inside the box itself (a toast's link) excepted.
_COVERED = """() => {
  const boxes = [...document.querySelectorAll(".ao-messages, .ao-toast")]
    .filter(e => e.checkVisibility());
  const controls = [...document.querySelectorAll("a, button, summary, input, select, textarea")]
    .filter(c => c.checkVisibility() && !boxes.some(b => b.contains(c)));
  const found = [];
  for (const box of boxes) {
    const r = box.getBoundingClientRect();
    for (const control of controls) {
      const q = control.getBoundingClientRect();
      if (!q.width || !q.height) continue;
      if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) {
        found.push(box.className + " over " + control.outerHTML.slice(0, 80));
      }
    }
  }
  return found;
}"""


def _server_passwords(world: World) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.filter(school=world.school).update(password=password)


def _login(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(locale="ro-RO", viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _covers_nothing(page: Any, expected: str) -> None:
    page.wait_for_selector(".ao-message")
    assert page.locator(".ao-message").all_inner_texts() == [expected]
    # Where the page lands (an anchor scrolls to the section) and with the message in view.
    for _ in range(2):
        assert page.evaluate(_COVERED) == [], page.url
        page.locator(".ao-messages").scroll_into_view_if_needed()


def _ro(message: str) -> str:
    from django.utils import translation

    with translation.override("ro"):
        return str(translation.gettext(message))


@pytest.mark.parametrize("viewport", WIDTHS)
def test_it_shows_the_message_after_a_post_over_no_button(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    from workflows import services

    world = make_world()
    _server_passwords(world)
    student = make_student(world.school, first_name="Bianca", last_name="Stoica")
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Lipsește des", functions=["pedagogical"]
    )
    advance(case, world, "shared")

    # A signal on the student's page.
    teacher = _login(browser, server, "teacher", viewport)
    teacher.goto(f"{server}/students/{student.pk}/")
    teacher.click("#signals summary")
    teacher.select_option("#id_signal_kind", "attendance")
    teacher.fill("#id_signal_value", "72")
    with teacher.expect_navigation():
        teacher.click("#signals form button[type=submit]")
    _covers_nothing(teacher, _ro("Signal recorded; the risk was worked out again."))

    # An objective added, then changed, on the case page.
    coordinator = _login(browser, server, "coordinator", viewport)
    coordinator.goto(f"{server}/cases/{case.pk}/")
    plan = coordinator.locator("#plan")
    plan.locator("details:not([data-objective-edit]) > summary").last.click()
    coordinator.fill("#id_description", "Participă la toate orele de atelier")
    coordinator.fill("#id_indicator", "prezența la atelier (%)")
    coordinator.fill("#id_baseline", "60%")
    coordinator.fill("#id_target", "95%")
    deadline = datetime.date.today() + datetime.timedelta(days=40)
    coordinator.fill("#id_deadline", deadline.isoformat())
    with coordinator.expect_navigation():
        coordinator.click(f"form[action='/cases/{case.pk}/objectives/'] button[type=submit]")
    _covers_nothing(coordinator, _ro("Objective added to the plan."))
    coordinator.click("[data-objective-edit] summary")
    coordinator.locator("[data-objective-edit] input[name$=target]").fill("90%")
    with coordinator.expect_navigation():
        coordinator.click("[data-objective-edit] form:not([action$='/remove/']) [type=submit]")
    _covers_nothing(coordinator, _ro("Objective changed."))
