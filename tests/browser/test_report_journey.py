"""A semester report from the form tutor to the director's approval, on phones, in Romanian:
the tutor drafts and submits it, the career counsellor registers and analyses it and sums the
semester up, the director registers and approves the summary — at 390 px, without sideways
scrolling."""

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
WIDTH = 390


def _person(world: Any, username: str, *positions: tuple[str, str]) -> Any:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import Position

    user = make_user(username, world.school)
    # The test settings hash with MD5, which the server (real settings) does not accept.
    user.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    user.save(update_fields=["password"])
    for position, class_name in positions:
        Position.objects.create(
            user=user, school=world.school, position=position, class_name=class_name
        )
    return user


def _signed_in(browser: Any, server: str, username: str) -> Any:
    page = browser.new_context(locale="ro-RO", **PHONE).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def _step(page: Any, button: str, said: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(f"text={said}")
    _fits(page)


def _open_report(page: Any, server: str, report_id: int) -> None:
    page.goto(f"{server}/reports/")
    _fits(page)
    page.click(f"[data-report='{report_id}'] a")
    page.wait_for_selector("[data-status]")
    _fits(page)


def test_it_takes_a_report_from_the_form_tutor_to_the_directors_approval(
    server: str, browser: Any
) -> None:
    from django.utils import timezone

    from counselling.models import Activity, Attendee, Report

    world = make_world()
    tutor_user = _person(world, "diriginta", ("form_tutor", "9C"), ("study_counsellor", ""))
    counsellor = _person(world, "consiliera", ("career_counsellor", ""))
    _person(world, "directoarea", ("director", ""))
    tutor = Activity.objects.create(
        school=world.school,
        author=tutor_user,
        kind="group",
        channel="direct",
        topic="career_routes",
        title="Rute de carieră",
        held_on=timezone.localdate(),
        duration_minutes=50,
        class_name="9C",
    )
    for name in ("Albu", "Bălan"):
        Attendee.objects.create(
            activity=tutor, student=make_student(world.school, class_name="9C", last_name=name)
        )

    page = _signed_in(browser, server, "diriginta")
    page.goto(f"{server}/reports/")
    _fits(page)
    page.get_by_role("button", name="Redactați raportul").click()
    page.wait_for_selector("text=Raportul este redactat din înregistrările dumneavoastră")
    _fits(page)
    report = Report.objects.get(author__username="diriginta")
    assert report.period.endswith("/1") or report.period.endswith("/2")
    page.fill("#id_narrative", "Am informat clasa a IX-a C despre rutele de carieră.")
    _step(page, "Salvați prezentarea", "Prezentarea a fost salvată.")
    _step(page, "Depuneți raportul", "Raportul a fost depus.")

    page = _signed_in(browser, server, "consiliera")
    _open_report(page, server, report.pk)
    _step(page, "Înregistrați raportul", "Raportul a fost înregistrat.")
    assert page.inner_text("[data-registration]").startswith("1/")
    page.fill("#id_note", "Analizat împreună cu directorul adjunct.")
    _step(page, "Înregistrați analiza", "Analiza a fost înregistrată.")
    assert Report.objects.get(pk=report.pk).status == "analysed"

    page.goto(f"{server}/reports/")
    page.select_option("#id_period", report.period)
    page.get_by_role("button", name="Redactați raportul").click()
    page.wait_for_selector("text=Raportul este redactat din înregistrările dumneavoastră")
    _fits(page)
    summary = Report.objects.get(author=counsellor, kind="counselling_summary")
    assert summary.period == report.period
    # Typed and submitted at once, never saved on its own: the narrative goes with the report.
    page.fill("#id_narrative", "Sinteza semestrului: o clasă informată.")
    _step(page, "Salvați și depuneți raportul", "Raportul a fost depus.")
    summary.refresh_from_db()
    assert summary.narrative == "Sinteza semestrului: o clasă informată."

    page = _signed_in(browser, server, "directoarea")
    _open_report(page, server, summary.pk)
    _step(page, "Înregistrați raportul", "Raportul a fost înregistrat.")
    assert page.inner_text("[data-registration]").startswith("2/")
    _step(page, "Aprobați raportul", "Raportul a fost aprobat.")
    summary.refresh_from_db()
    assert summary.status == "approved" and summary.approved_on == timezone.localdate()
    assert summary.content["activities"]["total"] == 1
