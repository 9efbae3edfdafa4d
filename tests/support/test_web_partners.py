"""A partner's page: its agreements, its people, its opportunities and the students placed with
it; its managers add agreements and contact people there, errors next to the fields."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from casework.models import Case, Contact
from support.countries import country_name
from support.models import Agreement, PartnerContact
from support.services import (
    participation_propose,
    participation_transition,
    student_consent_record,
)
from tests.conftest import sign_in
from tests.factories import make_student
from tests.support.conftest import Scene

pytestmark = pytest.mark.django_db


def _error(answer: Any, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">(.*?)</p>', answer.content.decode(), re.S)
    return html.unescape(found[1]).strip() if found else ""


def test_it_adds_an_agreement_on_the_partner_page(scene: Scene) -> None:
    client = sign_in(Client(), scene.world.admin_staff)
    url = f"/opportunities/partners/{scene.partner.pk}/"
    page = client.get(url).content.decode()
    assert "data-agreement-form" in page and "data-contact-form" in page
    assert "Adăugați un acord" in page
    today = datetime.date.today()
    added = client.post(
        f"{url}agreements/",
        {
            "purpose": "practice",
            "signed_on": (today - datetime.timedelta(days=10)).isoformat(),
            "valid_until": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert added.status_code == 302 and added["Location"] == f"{url}#agreements"
    agreement = Agreement.objects.get(partner=scene.partner)
    assert agreement.recorded_by == scene.world.admin_staff
    shown = client.get(url).content.decode()
    assert 'data-agreement="lapsing"' in shown and "expiră în curând" in shown


def test_it_puts_the_agreements_errors_next_to_its_fields_in_romanian(scene: Scene) -> None:
    client = sign_in(Client(), scene.world.coordinator)
    today = datetime.date.today()
    answer = client.post(
        f"/opportunities/partners/{scene.partner.pk}/agreements/",
        {
            "purpose": "practice",
            "signed_on": today.isoformat(),
            "valid_until": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert answer.status_code == 400
    # "până la o zi de după semnare" read as "valid for one day": the end comes after the signing.
    said = _error(answer, "valid_until")
    assert said == "Un acord este valabil până la o zi ulterioară semnării."
    missing = client.post(f"/opportunities/partners/{scene.partner.pk}/agreements/", {})
    assert missing.status_code == 400
    assert _error(missing, "signed_on") == "Acest câmp este obligatoriu."
    assert not Agreement.objects.exists()


def test_it_adds_a_contact_person_to_the_one_directory(scene: Scene) -> None:
    client = sign_in(Client(), scene.world.coordinator)
    url = f"/opportunities/partners/{scene.partner.pk}/"
    blank = client.post(f"{url}contacts/", {"name": "  ", "email": "nu-e-adresă"})
    assert blank.status_code == 400
    assert _error(blank, "email") == "Introduceți o adresă de email validă."
    added = client.post(
        f"{url}contacts/", {"name": "Ion Tutore", "role": "tutore", "email": "ion@exemplu.ro"}
    )
    assert added.status_code == 302
    person = PartnerContact.objects.get(partner=scene.partner)
    assert person.role == "tutore"
    assert Contact.objects.filter(pk=person.entry_id, office=scene.world.office).exists()
    assert "Ion Tutore" in client.get(url).content.decode()


def test_it_shows_the_page_to_staff_without_the_forms_and_refuses_their_posts(
    scene: Scene,
) -> None:
    client = sign_in(Client(), scene.world.form_tutor)
    url = f"/opportunities/partners/{scene.partner.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "data-agreement-form" not in page.content.decode()
    assert client.post(f"{url}contacts/", {"name": "X"}).status_code == 403
    assert client.post(f"{url}agreements/", {"purpose": "practice"}).status_code == 403
    assert sign_in(Client(), scene.world.outsider).get(url).status_code == 404


def test_it_lists_the_students_placed_with_the_case_only_for_those_who_see_it(
    scene: Scene, case: Case
) -> None:
    opportunity = scene.opportunity("practice_placement", days=10, title="Practică la service")
    student_consent_record(
        actor=scene.world.coordinator,
        student=case.student,
        scope="mobility",
        given_by="parent",
        given_by_name="M",
    )
    adult = make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1))
    waiting = make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1))
    for student, linked, steps in (
        (adult, None, ("select", "confirm")),
        (case.student, case, ("select", "confirm", "start")),
        (waiting, None, ("select",)),
    ):
        participation = participation_propose(
            actor=scene.world.coordinator,
            opportunity=opportunity,
            role="learner",
            student=student,
            case=linked,
        )
        for name in steps:
            participation = participation_transition(
                actor=scene.world.coordinator, participation=participation, name=name
            )
    url = f"/opportunities/partners/{scene.partner.pk}/"
    page = sign_in(Client(), scene.world.coordinator).get(url).content.decode()
    assert adult.full_name in page and case.student.full_name in page
    assert waiting.full_name not in page  # selected is not placed yet
    assert f"/cases/{case.pk}/" in page
    # The director manages the opportunities but does not see the case: no link to it.
    director = sign_in(Client(), scene.director).get(url).content.decode()
    assert case.student.full_name in director and f"/cases/{case.pk}/" not in director


def test_it_names_the_partners_country_in_the_readers_language(scene: Scene) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    pages = (
        "/opportunities/partners/",
        f"/opportunities/partners/{scene.partner.pk}/",
        f"/opportunities/{opportunity.pk}/",
    )
    for url in pages:
        text = client.get(url).content.decode()
        assert "România, Cluj" in text and "RO, Cluj" not in text, url
    with translation.override("en"):
        english = client.get(pages[1], HTTP_ACCEPT_LANGUAGE="en")
    assert "Romania, Cluj" in english.content.decode()
    with translation.override("ro"):
        assert country_name("ES") == "Spania" and country_name("ZW") == "ZW"
