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


# The page's controls that lie under a toast's text (not under its own link or close control),
# each with the point of the overlap the test taps at, and whether a tap there reaches it.
_UNDER_TOAST = """() => {
  const toasts = [...document.querySelectorAll(".ao-toast")].filter(t => t.checkVisibility());
  const own = toasts.flatMap(t => [...t.querySelectorAll("a, button")]);
  const controls = [...document.querySelectorAll("main a, main button, main summary")]
    .filter(c => c.checkVisibility());
  const found = [];
  for (const toast of toasts) {
    const r = toast.getBoundingClientRect();
    for (const control of controls) {
      const q = control.getBoundingClientRect();
      const left = Math.max(r.left, q.left), right = Math.min(r.right, q.right);
      const top = Math.max(r.top, q.top), bottom = Math.min(r.bottom, q.bottom);
      if (right - left < 4 || bottom - top < 4) continue;
      const x = (left + right) / 2, y = (top + bottom) / 2;
      if (own.some(o => { const b = o.getBoundingClientRect();
        return b.left <= x && x <= b.right && b.top <= y && y <= b.bottom; })) continue;
      const hit = document.elementFromPoint(x, y);
      const row = control.closest("tr[data-task]");
      found.push({control: control.outerHTML.slice(0, 80), task: row && row.dataset.task,
                  reached: !!hit && (hit === control || control.contains(hit)), x: x, y: y});
    }
  }
  return found;
}"""


def _toast(page: Any, n: int) -> None:
    # The live module's own entry point, as a pushed notification reaches it.
    page.evaluate(
        "n => window.ActionOfficeLive.handle({id: 1000000 + n, type: 'task.available',"
        " text: 'Sarcină nouă în coada grupului dumneavoastră: evaluare inițială'})",
        n,
    )
    page.wait_for_selector(f".ao-toast[data-notification='{1000000 + n}']")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_it_never_lets_a_tap_on_a_live_toast_press_a_button_under_it(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    from workflows import services

    world = make_world()
    _server_passwords(world)
    for n in range(14):
        student = make_student(world.school, last_name=f"Elev{n:02d}")
        services.case_flag(
            student=student, actor=world.teacher, reason="Lipsește des", functions=["pedagogical"]
        )
    page = _login(browser, server, "psychologist", viewport)
    page.goto(f"{server}/tasks/queue/")
    page.wait_for_selector("html[data-live=on]")
    assert page.locator("tr[data-task] button[type=submit]").count() == 14

    # Down the queue a screen's third at a time, one toast shown at each step: no control
    # passing under a toast's text is what a tap there reaches (the toast is).
    under: list[dict[str, Any]] = []
    claim: list[dict[str, Any]] = []
    height = viewport["height"]
    for step in range(12):
        page.evaluate("document.querySelectorAll('.ao-toast').forEach(t => t.remove())")
        page.evaluate("y => window.scrollTo(0, y)", step * height // 3)
        _toast(page, step)
        found = page.evaluate(_UNDER_TOAST)
        under += found
        claim = claim or [u for u in found if u["task"] and "<button" in u["control"]]
        if claim:
            break
    assert under, "no control passed under the toast"
    assert [u["control"] for u in under if u["reached"]] == []
    assert claim, "no claim button passed under the toast"

    # A tap on the toast's text over a claim button dismisses the toast and claims nothing.
    task = claim[0]["task"]
    page.mouse.click(claim[0]["x"], claim[0]["y"])
    page.wait_for_selector(".ao-toast", state="detached")
    assert page.url.endswith("/tasks/queue/")
    assert page.locator(f"tr[data-task='{task}'] button[type=submit]").count() == 1
    # Uncovered, the button answers a click without force.
    with page.expect_navigation():
        page.click(f"tr[data-task='{task}'] button[type=submit]", timeout=5_000)
    assert page.url.endswith(f"/tasks/{task}/execute/")

    # The toast's own close control still answers.
    _toast(page, 200)
    page.click(".ao-toast[data-notification='1000200'] .ao-toast__close")
    page.wait_for_selector(".ao-toast[data-notification='1000200']", state="detached")
