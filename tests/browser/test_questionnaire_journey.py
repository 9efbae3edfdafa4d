"""The student's questionnaire, answered in a real Chromium on a phone: every question ticked,
the form submitted, the thank-you page shown and the score stored as a signal. Opening the page
is not enough: a referrer policy of `no-referrer` once made Chromium send `Origin: null` with the
POST, and Django's CSRF check refused every submission.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.conftest import requires_postgres
from tests.factories import make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_it_lets_a_student_submit_the_questionnaire_from_a_phone(server: str, browser: Any) -> None:
    from casework.instrument_defaults import ensure_default_instrument
    from casework.models import Instrument, InstrumentLink, Item, Signal, Subscale
    from casework.services.instruments import instrument_link_create

    world = make_world()
    student = make_student(world.school)
    instrument = ensure_default_instrument(Instrument, Subscale, Item)
    _, token = instrument_link_create(student=student, instrument=instrument, actor=world.teacher)

    page = browser.new_context(locale="ro-RO", **PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/assessment/{token}/")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name="Trimiteți răspunsurile").click()

    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Mulțumim"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert InstrumentLink.objects.get(student=student).used_at is not None
    assert Signal.objects.filter(student=student, kind="self_assessment").count() == 1
