"""From recorded activities to the approved annual monitoring report, in Romanian: the director
makes the mobility plan from the model, a form tutor records an information session on mobility
with its attendance list, the plan's indicators count it, the quality commission (CEIAC) drafts
the monitoring report from the plan's page and submits it, and the director registers and
approves it. And a plan built by hand: the director adds an objective, an action and a manual
indicator with the page's forms, the form tutor responsible enters its value with evidence, and
CEIAC reads it. Each journey runs twice, so that every role goes through it both on a 390 px
phone and on a 1280 px desktop; each page is checked for what it shows (tests/browser/pages.py:
Romanian only, no ISO date in a sentence) and none scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import requires_chromium
from tests.browser.pages import check
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
# Who uses which device: the second run swaps them, so each role runs at both widths.
LAYOUTS = [
    pytest.param({"director": DESKTOP, "tutor": PHONE, "ceiac": PHONE}, id="director-desktop"),
    pytest.param({"director": PHONE, "tutor": DESKTOP, "ceiac": DESKTOP}, id="director-phone"),
]
# The space the page keeps between a form's toggle and the next heading (a field's margin).
TOGGLE_GAP = 12

# For each action followed by another: how far its last toggle ("Adăugați un indicator") ends
# above the next action's heading.
_GAPS = """() => [...document.querySelectorAll("[data-action]")].flatMap(action => {
  const next = action.nextElementSibling;
  const toggles = action.querySelectorAll(":scope > details > summary");
  if (!next || !next.matches("[data-action]") || !toggles.length) return [];
  const heading = next.querySelector("h3").getBoundingClientRect();
  const toggle = toggles[toggles.length - 1].getBoundingClientRect();
  return [{action: action.dataset.action, gap: heading.top - toggle.bottom, tall: toggle.height}];
})"""


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


def _checked(page: Any) -> None:
    """Fits its width, speaks only Romanian, writes no day in ISO, repeats no element id."""
    _fits(page)
    assert check(page) == [], page.url
    repeated = page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.filter((id, i) => ids.indexOf(id) !== i); }"
    )
    assert repeated == [], page.url


def _click(page: Any, button: str, said: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(f"text={said}")
    _fits(page)


def _achieved(page: Any, indicators: dict[str, int]) -> dict[str, str]:
    return {
        text: page.inner_text(f"[data-indicator='{pk}'] [data-achieved]")
        for text, pk in indicators.items()
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_goes_from_an_information_session_to_the_approved_monitoring_report(
    server: str, browser: Any, layout: dict[str, dict[str, Any]]
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
    director = _signed_in(browser, server, "directoarea", layout["director"])
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
    # Each action's "add an indicator" toggle keeps its distance from the next action's title.
    gaps = director.evaluate(_GAPS)
    assert gaps
    assert [g for g in gaps if g["gap"] < TOGGLE_GAP or g["tall"] < 32] == []

    # The form tutor records the information session and its attendance list.
    tutor = _signed_in(browser, server, "diriginta", layout["tutor"])
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
    ceiac = _signed_in(browser, server, "ceiac", layout["ceiac"])
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


def _submit(page: Any, scope: Any, button: str, said: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=button).click()
    page.wait_for_selector(f".ao-message:has-text('{said}')")
    _checked(page)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_it_builds_a_plan_with_the_pages_forms_and_enters_a_value(
    server: str, browser: Any, layout: dict[str, dict[str, Any]]
) -> None:
    from plans.models import ActionPlan, IndicatorValue, PlanAction, PlanIndicator

    world = make_world()
    _person(world, "diriginta", ("form_tutor", "9C"))
    _person(world, "directoarea", ("director", ""))
    _person(world, "ceiac", ("quality_commission", ""))

    # The director makes a blank plan and adds an objective to it.
    director = _signed_in(browser, server, "directoarea", layout["director"])
    director.goto(f"{server}/plans/")
    director.select_option("#id_template", "")
    director.fill("#id_title", "Planul biroului pentru orientare")
    with director.expect_navigation():
        director.get_by_role("button", name="Creați planul").click()
    director.wait_for_selector("text=Planul a fost creat.")
    _checked(director)
    plan = ActionPlan.objects.get(school=world.school)
    assert "Încă niciun obiectiv." in director.inner_text("main")
    new_objective = director.locator("section[aria-labelledby=new-objective-title]")
    new_objective.get_by_label("Obiectivul").fill("Elevii își aleg traseul după clasa a X-a")
    _submit(director, new_objective, "Adăugați obiectivul", "Obiectivul a fost adăugat.")
    objective = director.locator("[data-objective]")
    assert objective.count() == 1
    assert "Obiectivul 1" in objective.inner_text()
    assert "Elevii își aleg traseul după clasa a X-a" in objective.inner_text()

    # An action, the form tutor responsible for it, for the whole year.
    objective.get_by_text("Adăugați o acțiune").click()
    form = objective.locator("form[action$='/actions/']")
    form.get_by_label("Acțiunea").fill("Discuții individuale despre traseul fiecărui elev")
    form.get_by_label("diriginte", exact=True).check()
    form.get_by_label("Termen").select_option("annual")
    _submit(director, form, "Adăugați acțiunea", "Acțiunea a fost adăugată.")
    action = director.locator("[data-action]")
    assert action.count() == 1
    assert "Discuții individuale despre traseul fiecărui elev" in action.inner_text()
    assert "Responsabili: diriginte" in action.inner_text()
    assert "Niciun indicator încă." in action.inner_text()

    # An indicator counted from values entered by hand; first sent without its target.
    action.get_by_text("Adăugați un indicator").click()
    form = action.locator("form[action$='/indicators/']")
    form.get_by_label("Indicator").fill("Elevi cu traseul discutat")
    form.get_by_label("Calculat din").select_option("manual")
    # A refused form comes back with status 400: drawn in place, no new page to wait for.
    form.get_by_role("button", name="Adăugați indicatorul").click()
    director.wait_for_selector("[data-action] details[open] .ao-error")
    error = director.locator("[data-action] details[open] .ao-error")
    assert error.inner_text().strip() == "Acest câmp este obligatoriu."
    _checked(director)
    assert not PlanIndicator.objects.exists()
    form = director.locator("[data-action] form[action$='/indicators/']")
    assert form.get_by_label("Indicator").input_value() == "Elevi cu traseul discutat"
    form.get_by_label("Ținta").fill("20")
    _submit(director, form, "Adăugați indicatorul", "Indicatorul a fost adăugat.")
    indicator = PlanIndicator.objects.get(action__objective__plan=plan)
    row = director.locator(f"[data-indicator='{indicator.pk}']")
    assert row.locator("[data-achieved]").inner_text() == "0"
    assert "/ 20" in row.inner_text() and "Valori introduse, cu dovezi" in row.inner_text()
    # The director is not responsible for the action: no value to enter.
    assert row.locator("[data-value-form]").count() == 0

    # The form tutor responsible enters a value; first without its evidence.
    tutor = _signed_in(browser, server, "diriginta", layout["tutor"])
    tutor.goto(f"{server}/plans/{plan.pk}/")
    _checked(tutor)
    assert tutor.locator("form[action$='/actions/'], form[action$='/indicators/']").count() == 0
    row = tutor.locator(f"[data-indicator='{indicator.pk}']")
    row.get_by_text("Introduceți o valoare").click()
    form = row.locator("[data-value-form]")
    form.get_by_label("Valoare").fill("12")
    form.get_by_role("button", name="Salvați valoarea").click()
    error = tutor.locator(f"[data-indicator='{indicator.pk}'] details[open] .ao-error")
    error.wait_for()
    assert error.inner_text().strip() == "Acest câmp este obligatoriu."
    _checked(tutor)
    form = tutor.locator(f"[data-indicator='{indicator.pk}'] [data-value-form]")
    form.get_by_label("Dovezi").fill("Fișele discuțiilor, la dirigintă")
    _submit(tutor, form, "Salvați valoarea", "Valoarea a fost înregistrată.")
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.value, value.entered_by.username) == (12, "diriginta")
    row = tutor.locator(f"[data-indicator='{indicator.pk}']")
    assert row.locator("[data-achieved]").inner_text() == "12"
    assert "Fișele discuțiilor, la dirigintă" in row.inner_text()

    # CEIAC reads it: the value, its day as Romanian writes it, and no form to change the plan.
    ceiac = _signed_in(browser, server, "ceiac", layout["ceiac"])
    ceiac.goto(f"{server}/plans/{plan.pk}/")
    _checked(ceiac)
    row = ceiac.locator(f"[data-indicator='{indicator.pk}']")
    assert row.locator("[data-achieved]").inner_text() == "12"
    assert value.as_of.isoformat() not in row.inner_text()
    assert ceiac.locator("main form:not([data-monitor])").count() == 0
    assert PlanAction.objects.get().responsible == ["form_tutor"]
