"""From recorded activities to the approved annual monitoring report, in Romanian: the director
makes the mobility plan from the model (on a desktop, 1280 px), a form tutor records an
information session on mobility with its attendance list (on a phone, 390 px), the plan's
indicators count it, the quality commission (CEIAC) drafts the monitoring report from the plan's
page and submits it (on a phone), and the director registers and approves it — each page checked
for what it shows, and none scrolling sideways."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.test_report_journey import _person
from tests.conftest import requires_postgres
from tests.factories import make_student, make_world

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
INFORMED = "Numărul elevilor informați privind procedura de mobilitate"
SESSIONS = "Numărul sesiunilor de informare organizate"
MONITORING = "1 raport de monitorizare elaborat și prezentat administrației instituției"


def _signed_in(browser: Any, server: str, username: str, device: dict[str, Any]) -> Any:
    page = browser.new_context(locale="ro-RO", **device).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _fits(page: Any) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _click(page: Any, button: str, said: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(f"text={said}")
    _fits(page)


def _achieved(page: Any, indicators: dict[str, int]) -> dict[str, str]:
    return {
        text: page.inner_text(f"[data-indicator='{pk}'] [data-achieved]")
        for text, pk in indicators.items()
    }


def test_it_goes_from_an_information_session_to_the_approved_monitoring_report(
    server: str, browser: Any
) -> None:
    from django.utils import timezone

    from counselling.models import Attendee, Report
    from plans.models import ActionPlan, PlanIndicator

    world = make_world()
    _person(world, "diriginta", ("form_tutor", "9C"))
    _person(world, "directoarea", ("director", ""))
    _person(world, "ceiac", ("quality_commission", ""))
    for name in ("Albu", "Bălan", "Cazacu"):
        make_student(world.school, class_name="9C", last_name=name)

    # The director makes the plan of this school year from the model.
    director = _signed_in(browser, server, "directoarea", DESKTOP)
    director.goto(f"{server}/plans/")
    _fits(director)
    assert director.input_value("#id_template") == "student_mobility"
    _click(director, "Creați planul", "Planul a fost creat.")
    plan = ActionPlan.objects.get(school=world.school)
    assert director.inner_text("#plan-title") == plan.title
    assert director.locator("[data-action]").count() == 16
    indicators = {
        text: PlanIndicator.objects.get(action__objective__plan=plan, text=text).pk
        for text in (INFORMED, SESSIONS, MONITORING)
    }
    assert _achieved(director, indicators) == {INFORMED: "0", SESSIONS: "0", MONITORING: "0"}

    # The form tutor records the information session and its attendance list.
    tutor = _signed_in(browser, server, "diriginta", PHONE)
    tutor.goto(f"{server}/activities/new/")
    _fits(tutor)
    tutor.select_option("#id_topic", "mobility")
    tutor.fill("#id_title", "Mobilități Erasmus+: cum vă înscrieți")
    tutor.select_option("#id_class_name", "9C")
    _click(tutor, "Salvați și faceți prezența", "Activitatea este înregistrată")
    assert tutor.locator("input[name=students]").count() == 3
    for box in tutor.locator("input[name=students]").all():
        box.check()
    _click(tutor, "Salvați lista de prezență", "Lista de prezență a fost salvată: 3 elevi.")
    assert Attendee.objects.filter(activity__author__username="diriginta").count() == 3

    # The plan's page counts it, today.
    director.reload()
    assert _achieved(director, indicators) == {INFORMED: "3", SESSIONS: "1", MONITORING: "0"}
    assert (
        director.get_attribute(
            f"[data-indicator='{indicators[INFORMED]}'] [data-status]", "data-status"
        )
        == "achieved"
    )

    # CEIAC drafts the monitoring report from the plan's page and submits it.
    ceiac = _signed_in(browser, server, "ceiac", PHONE)
    ceiac.goto(f"{server}/plans/{plan.pk}/")
    _fits(ceiac)
    _click(
        ceiac,
        "Redactați raportul de monitorizare",
        "Raportul este redactat din înregistrările dumneavoastră",
    )
    report = Report.objects.get(kind="plan_monitoring", plan=plan)
    assert report.period == plan.school_year
    assert INFORMED in ceiac.inner_text("[data-indicators]")
    ceiac.fill("#id_narrative", "Elevii clasei a IX-a C au fost informați despre mobilități.")
    _click(ceiac, "Salvați și depuneți raportul", "Raportul a fost depus.")

    # The director registers and approves it; the report shows its number and indicators.
    director.goto(f"{server}/reports/")
    _fits(director)
    director.click(f"[data-report='{report.pk}'] a")
    director.wait_for_selector("[data-status]")
    _click(director, "Înregistrați raportul", "Raportul a fost înregistrat.")
    registration = director.inner_text("[data-registration]")
    assert registration.startswith("1/")
    _click(director, "Aprobați raportul", "Raportul a fost aprobat.")
    assert director.get_attribute("dd[data-status]", "data-status") == "approved"
    assert director.inner_text("[data-registration]") == registration
    rows = director.locator("[data-indicators] li").all_inner_texts()
    informed = next(row for row in rows if INFORMED in row)
    assert "3 / 1 · realizat" in informed
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_on == timezone.localdate()

    # And the plan's page counts the approved report under its monitoring indicator.
    director.goto(f"{server}/plans/{plan.pk}/")
    assert _achieved(director, indicators)[MONITORING] == "1"
