"""From a case to a completed placement, in Romanian, on a phone and on a desktop: the case page
leads to the catalogue, the coordinator proposes the case's student, takes the participation
through its steps with the buttons, gives the completed placement as the evidence of the case's
objective and finds it on the next meeting's agenda; and a manager adds an agreement and a
contact person on the partner page — without sideways scrolling."""

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
    from django.utils import timezone

    from support.models import Participation
    from support.services import opportunity_add, partner_add, student_consent_record
    from workflows import services

    world = make_world()
    coordinator = world.coordinator
    # The test settings hash with MD5, which the server (real settings) does not accept.
    coordinator.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    coordinator.save(update_fields=["password"])
    meeting = services.meeting_schedule(
        office=world.office,
        actor=coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
    )
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
    # The "only with places left" box is a checkbox's size, beside its words.
    box = page.locator("[data-filters] input[name=open]").bounding_box()
    assert box is not None and box["width"] < 30
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

    # The completed placement is the evidence of the case's objective, from the case page.
    objective = case.objectives.get()
    page.goto(f"{server}/cases/{case.pk}/")
    page.get_by_text("Dați un stagiu sau o mobilitate încheiată drept dovadă").click()
    page.get_by_label("Stagiu sau mobilitate încheiată").select_option(str(participation.pk))
    fits()
    page.get_by_role("button", name="Legați dovada").click()
    page.wait_for_selector(f"[data-objective-evidence='{objective.pk}']")
    fits()
    text = page.inner_text("main")
    assert "Dovada unui obiectiv: Stagiu de practică la un angajator încheiat" in text
    assert "Participare încheiată: Stagiu de practică la un angajator" in text

    # The next meeting's agenda lists the case for it.
    page.goto(f"{server}/meetings/{meeting.pk}/")
    assert "Participare încheiată: Stagiu de practică la un angajator." in page.inner_text("main")
    fits()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_adds_an_agreement_and_a_contact_on_the_partner_page(
    server: str, browser: Any, device: dict[str, Any]
) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from support.models import Agreement, PartnerContact
    from support.services import partner_add

    world = make_world()
    manager = world.admin_staff  # group 4: the agreements' paperwork
    manager.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    manager.save(update_fields=["password"])
    partner = partner_add(actor=manager, name="SC Auto SRL", kind="employer", country="RO")
    width = device["viewport"]["width"]

    def fits() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page = browser.new_context(locale="ro-RO", **device).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{server}/opportunities/partners/")
    page.get_by_role("link", name="SC Auto SRL").click()
    page.wait_for_selector("[data-agreement-form]", state="attached")
    fits()
    today = datetime.date.today()
    page.get_by_text("Adăugați un acord").click()
    page.select_option("#id_purpose", "practice")
    page.fill("#id_signed_on", today.isoformat())
    page.fill("#id_valid_until", (today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Salvați acordul").click()
    page.wait_for_selector("#id_valid_until_error")
    assert "Un acord este valabil până la o zi ulterioară semnării." in page.inner_text(
        "#id_valid_until_error"
    )
    fits()
    page.fill("#id_valid_until", (today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Salvați acordul").click()
    page.wait_for_selector("[data-agreement=lapsing]")
    assert "expiră în curând" in page.inner_text("#agreements")
    fits()
    page.get_by_text("Adăugați o persoană de contact").click()
    page.fill("#id_name", "Ion Tutore")
    page.fill("#id_role", "tutore de practică")
    page.fill("#id_email", "ion@exemplu.ro")
    page.get_by_role("button", name="Salvați persoana de contact").click()
    page.wait_for_selector("[data-person]")
    assert "Ion Tutore" in page.inner_text("#people")
    fits()
    assert Agreement.objects.get().partner_id == partner.pk
    assert PartnerContact.objects.get().role == "tutore de practică"


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_records_the_parents_consent_on_the_opportunity_page_and_confirms(
    server: str, browser: Any, device: dict[str, Any]
) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from support.models import Participation, StudentConsent
    from support.services import (
        opportunity_add,
        participation_propose,
        participation_transition,
        partner_add,
    )

    world = make_world()
    coordinator = world.coordinator
    coordinator.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    coordinator.save(update_fields=["password"])
    today = datetime.date.today()
    # Sixteen on the first day: confirming waits for a parent's consent.
    minor = make_student(
        world.school,
        first_name="Ioana",
        last_name="Marin",
        birth_date=today.replace(year=today.year - 16),
    )
    partner = partner_add(actor=coordinator, name="SC Auto SRL", kind="employer", country="RO")
    opportunity = opportunity_add(
        actor=coordinator,
        kind="practice_placement",
        title="Stagiu de vară la service auto",
        partner=partner,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=19),
        places=3,
    )
    participation = participation_propose(
        actor=coordinator, opportunity=opportunity, role="learner", student=minor
    )
    participation_transition(actor=coordinator, participation=participation, name="select")
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

    page.goto(f"{server}/opportunities/{opportunity.pk}/")
    row = page.locator(f"[data-participation='{participation.pk}']")
    assert row.get_attribute("data-status") == "selected"
    row.get_by_text("Înregistrați acordul părinților (necesar pentru confirmare)").click()
    fits()
    # Sent without the name: the form comes back open, the error beside the field.
    row.locator("select[name=given_by]").select_option("parent")
    row.get_by_role("button", name="Înregistrați consimțământul").click()
    page.wait_for_selector("[data-consent-needed][open] .ao-error")
    assert "Acest câmp este obligatoriu." in page.inner_text("[data-consent-needed]")
    fits()
    assert not StudentConsent.objects.exists()
    row = page.locator(f"[data-participation='{participation.pk}']")
    row.locator("input[name=given_by_name]").fill("Elena Marin")
    row.get_by_role("button", name="Înregistrați consimțământul").click()
    page.wait_for_selector("text=Acordul părinților a fost înregistrat.")
    fits()
    consent = StudentConsent.objects.get()
    assert (consent.student_id, consent.scope, consent.given_by_name) == (
        minor.pk,
        "mobility",
        "Elena Marin",
    )
    # With the consent on record the form is gone and confirming goes through.
    assert page.locator("[data-consent-needed]").count() == 0
    page.locator(f"[data-participation='{participation.pk}'] [data-move=confirm]").click()
    page.wait_for_selector(f"[data-participation='{participation.pk}'][data-status=confirmed]")
    fits()
    assert Participation.objects.get().status == "confirmed"
