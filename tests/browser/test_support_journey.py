"""From a case to a completed placement, in Romanian, on a phone and on a desktop: the case page
leads to the catalogue, the coordinator proposes the case's student, then takes the
participation through its steps with the buttons — without sideways scrolling."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.conftest import requires_postgres
from tests.factories import advance, make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_takes_a_case_to_a_completed_placement(
    server: str, browser: Any, device: dict[str, Any]
) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from support.models import Participation
    from support.services import opportunity_add, partner_add, student_consent_record
    from workflows import services

    world = make_world()
    coordinator = world.coordinator
    # The test settings hash with MD5, which the server (real settings) does not accept.
    coordinator.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    coordinator.save(update_fields=["password"])
    student = make_student(world.school, first_name="Bianca", last_name="Stoica")
    case = services.case_flag(
        student=student, actor=world.teacher, reason="Lucrează seara", functions=["socio_economic"]
    )
    advance(case, world, "intervention")
    student_consent_record(
        actor=coordinator, student=student, scope="mobility", given_by="parent", given_by_name="M"
    )
    partner = partner_add(actor=coordinator, name="SC Auto SRL", kind="employer", country="RO")
    today = datetime.date.today()
    opportunity_add(
        actor=coordinator,
        kind="practice_placement",
        title="Stagiu plătit de mecanic auto",
        partner=partner,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=19),
        places=3,
    )
    width = device["viewport"]["width"]

    def fits() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page = browser.new_context(locale="ro-RO", **device).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{server}/cases/{case.pk}/")
    page.get_by_role("link", name="Alegeți o oportunitate").click()
    page.wait_for_selector("[data-from-case]")
    fits()
    page.get_by_role("link", name="Stagiu plătit de mecanic auto").click()
    page.wait_for_selector("[data-propose-case]")
    fits()
    page.get_by_role("button", name="Propuneți elevul din caz: Bianca Stoica").click()
    page.wait_for_selector("[data-status=proposed]")
    for button, status in (
        ("Selectați", "selected"),
        ("Confirmați", "confirmed"),
        ("Începeți", "in_progress"),
        ("Încheiați", "completed"),
    ):
        page.get_by_role("button", name=button).click()
        page.wait_for_selector(f"[data-status={status}]")
        fits()
    assert "1 din 3 locuri ocupate" in page.inner_text("main")
    participation = Participation.objects.get()
    assert participation.status == "completed" and participation.case_id == case.pk
