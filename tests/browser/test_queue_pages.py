"""A busy office's queue, as a psychologist lives it, in Romanian, on a phone and on a desktop:
more tasks than one page holds. The page says which page it is, the next page is a tap away,
and a task found there can be claimed; the claimed task then waits under "Ale mele"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.pages import DESKTOP, PHONE, check
from tests.conftest import requires_postgres
from tests.factories import World, make_student, make_world
from workflows.models import CaseTask
from workflows.services import case_flag
from workflows.web.tasks import PAGE_SIZE

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 15_000


def _server_passwords(world: World) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import User

    password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    User.objects.filter(school=world.school).update(password=password)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_pages_a_long_queue_and_claims_from_the_second_page(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    world = make_world()
    _server_passwords(world)
    for n in range(PAGE_SIZE + 3):
        case_flag(
            student=make_student(world.school, last_name=f"Stoica{n:02d}"),
            actor=world.teacher,
            reason="Lipsește des",
            functions=["pedagogical"],
        )
    page = browser.new_context(locale="ro-RO", viewport=viewport).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", world.psychologist.username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{server}/tasks/queue/")
    assert page.locator("tr[data-task]").count() == PAGE_SIZE
    assert "Pagina 1 din 2" in page.inner_text(".ao-pagination")
    assert check(page) == [], page.url
    page.click(".ao-pagination a:has-text('Înainte')")
    page.wait_for_url(lambda url: "page=2" in url)
    assert page.locator("tr[data-task]").count() == 3
    assert "Pagina 2 din 2" in page.inner_text(".ao-pagination")
    assert check(page) == [], page.url

    row = page.locator("tr[data-task]").first
    task_id = int(row.get_attribute("data-task") or 0)
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.url.endswith(f"/tasks/{task_id}/execute/")
    assert CaseTask.objects.get(pk=task_id).task.owner_id == world.psychologist.pk
    page.goto(f"{server}/tasks/inbox/")
    assert page.locator(f"#task-row-{task_id}").count() == 1
