"""The office's side of a case, at phone and desktop width, in Romanian, with every form on the
way filled and submitted: the teacher is told the triage comes first (no share button), the
coordinator decides on the case at a meeting held today and closes its minutes, records the
family's library consent on the archived case, drafts the entry, and a psychologist publishes
it, which finishes the coordinator's publication task. Each next page shows what was written."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import requires_chromium
from tests.browser.pages import DESKTOP, PHONE, check
from tests.conftest import requires_postgres
from tests.factories import World, advance, make_student, make_world
from workflows import services
from workflows.models import CaseTask

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000
DECISION = "Ora de meditații la matematică, de două ori pe săptămână"
PARENT = "Maria Stoica"


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


def _fits(page: Any, viewport: dict[str, int]) -> None:
    if viewport == PHONE:
        assert check(page) == [], page.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_runs_the_office_side_of_a_case_in_romanian(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    world = make_world()
    _server_passwords(world)
    flagged = services.case_flag(
        student=make_student(world.school, first_name="Ana", last_name="Pop"),
        actor=world.teacher,
        reason="Lipsește des",
        functions=["pedagogical"],
    )
    teacher = _login(browser, server, "teacher", viewport)
    teacher.goto(f"{server}/cases/{flagged.pk}/")
    _fits(teacher, viewport)
    assert teacher.locator("[data-transition=share]").count() == 0
    assert teacher.locator("[data-share-waits]").is_visible()

    case = advance(
        services.case_flag(
            student=make_student(world.school, first_name="Bianca", last_name="Stoica"),
            actor=world.teacher,
            reason="Absențe",
            functions=["pedagogical"],
        ),
        world,
        "shared",
    )
    meeting = services.meeting_schedule(
        office=world.office, actor=world.coordinator, scheduled_for=timezone.now()
    )
    coordinator = _login(browser, server, "coordinator", viewport)
    coordinator.goto(f"{server}/meetings/{meeting.pk}/")
    _fits(coordinator, viewport)
    item = coordinator.locator(f"[data-agenda-case='{case.pk}']")
    item.locator("summary").click()
    form = item.locator("form[data-decision-form]")
    form.locator("select[name=kind]").select_option("note")
    form.locator("textarea[name=text]").fill(DECISION)
    form.locator("button[type=submit]").click()
    coordinator.wait_for_selector(f"[data-agenda-case='{case.pk}'] [data-decision-kind=note]")
    _fits(coordinator, viewport)
    assert DECISION in coordinator.inner_text("main")
    assert "nu s-a luat încă o decizie" not in coordinator.inner_text("#agenda")
    coordinator.locator("#attendance select").evaluate_all(
        "els => els.forEach(e => { e.value = 'present'; })"
    )
    before = coordinator.inner_text("#attendance .ao-lead")
    coordinator.click("#attendance button[type=submit]")
    coordinator.wait_for_function(
        "before => document.querySelector('#attendance .ao-lead').textContent.trim() != before",
        arg=before.strip(),
    )
    coordinator.click("[data-close-minutes]")
    coordinator.wait_for_selector("[data-meeting-status=held]")
    _fits(coordinator, viewport)
    coordinator.goto(f"{server}/cases/{case.pk}/")
    assert DECISION in coordinator.inner_text("#meetings")

    case = advance(case, world, "archived")
    coordinator.goto(f"{server}/cases/{case.pk}/")
    _fits(coordinator, viewport)
    assert coordinator.locator(f"form[action='/library/draft/{case.pk}/']").count() == 0
    coordinator.select_option("#id_library_consent_given_by", "parent")
    coordinator.fill("#id_library_consent_given_by_name", PARENT)
    coordinator.click("#library form button[type=submit]")
    coordinator.wait_for_selector(f"form[action='/library/draft/{case.pk}/']")
    _fits(coordinator, viewport)
    assert PARENT in coordinator.inner_text("#referrals")
    coordinator.click(f"form[action='/library/draft/{case.pk}/'] button[type=submit]")
    coordinator.wait_for_url("**/library/*/")
    entry_url = coordinator.url

    psychologist = _login(browser, server, "psychologist", viewport)
    psychologist.goto(entry_url)
    # Not checked for English here: the entry's text is the language work's (it still carries
    # English item names from the draft).
    psychologist.click("button[data-publish]")
    psychologist.wait_for_selector(".ao-message")
    publication = CaseTask.objects.select_related("task").get(case=case, name="library_publication")
    assert publication.task.status == "DONE"
