"""The opportunity pages: the catalogue and its filters for the school's staff, an
opportunity's steps for its managers, a proposal from a case, the partner directory with its
warnings, in Romanian by default and in English."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from casework.models import Case, CaseEvent
from support.models import Participation, StudentConsent
from support.services import agreement_add
from tests.conftest import sign_in
from tests.factories import advance, make_student
from tests.support.conftest import START, Scene
from workflows.selectors import open_tasks_of_case
from workflows.services import task_claim


def _field_error(answer: Any, field_id: str) -> str:
    """The error a page shows next to a field (``web/includes/field.html``), or ""."""
    found = re.search(
        rf'<p class="ao-error" id="id_{field_id}_error">(.*?)</p>', answer.content.decode(), re.S
    )
    return html.unescape(found[1]).strip() if found else ""


pytestmark = pytest.mark.django_db


def test_it_shows_the_catalogue_to_school_staff_with_filters(scene: Scene) -> None:
    scene.opportunity("practice_placement", days=10, title="Practică la service", places=2)
    scene.opportunity("study_visit", days=2, title="Vizită la fabrică")
    page = sign_in(Client(), scene.world.form_tutor).get("/opportunities/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Practică la service" in text and "Vizită la fabrică" in text
    assert "0 din 2 locuri ocupate" in text
    filtered = sign_in(Client(), scene.world.form_tutor).get("/opportunities/?kind=study_visit")
    assert "Practică la service" not in filtered.content.decode()


def test_it_keeps_the_catalogue_from_those_outside_the_school(scene: Scene) -> None:
    assert sign_in(Client(), scene.world.network).get("/opportunities/").status_code == 403
    outsider = sign_in(Client(), scene.world.outsider).get("/opportunities/")
    assert "SC Auto Service" not in outsider.content.decode()


def test_it_moves_a_participant_with_the_step_buttons(scene: Scene) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    adult = make_student(scene.world.school, birth_date=datetime.date(2000, 1, 1))
    client = sign_in(Client(), scene.world.coordinator)
    proposed = client.post(
        f"/opportunities/{opportunity.pk}/propose/", {"role": "learner", "student_code": adult.code}
    )
    assert proposed.status_code == 302
    participation = Participation.objects.get(student=adult)
    page = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert 'data-move="select"' in page and 'data-move="confirm"' not in page
    for name in ("select", "confirm", "start", "complete"):
        moved = client.post(f"/opportunities/participations/{participation.pk}/{name}/")
        assert moved.status_code == 302
    assert Participation.objects.get(pk=participation.pk).status == "completed"
    wrong = client.post(f"/opportunities/participations/{participation.pk}/start/")
    assert wrong.status_code == 409


def test_it_proposes_the_student_from_the_case(scene: Scene, case: Case) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/opportunities/?case={case.pk}" in case_page
    listed = client.get(f"/opportunities/?case={case.pk}").content.decode()
    assert f"/opportunities/{opportunity.pk}/?case={case.pk}" in listed
    page = client.get(f"/opportunities/{opportunity.pk}/?case={case.pk}").content.decode()
    assert "data-propose-case" in page
    client.post(f"/opportunities/{opportunity.pk}/propose/", {"case": case.pk})
    participation = Participation.objects.get()
    assert participation.case == case and participation.student == case.student
    assert CaseEvent.objects.filter(case=case, name="participation_proposed").exists()
    # The teacher who flagged the case sees it but may not propose from it.
    teacher = sign_in(Client(), scene.world.teacher)
    assert (
        "data-propose-case"
        not in teacher.get(f"/opportunities/{opportunity.pk}/?case={case.pk}").content.decode()
    )


def test_it_offers_the_catalogue_on_the_case_page_only_to_those_who_may_propose(
    scene: Scene, case: Case
) -> None:
    def offered(user: object) -> bool:
        page = sign_in(Client(), user).get(f"/cases/{case.pk}/")
        assert page.status_code == 200
        return "data-case-opportunities" in page.content.decode()

    assert offered(scene.world.coordinator)
    # The teacher who flagged the case reads it but proposes nobody from it.
    assert not offered(scene.world.teacher)
    case.functions = ["socio_economic"]
    case.save(update_fields=["functions"])
    advance(case, scene.world, "intervention")
    task = open_tasks_of_case(case.pk).get(name="socio_economic")
    task_claim(case_task=task, actor=scene.world.social)
    assert offered(scene.world.social)


def test_it_says_the_student_is_listed_instead_of_offering_the_proposal_again(
    scene: Scene, case: Case
) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    url = f"/opportunities/{opportunity.pk}/?case={case.pk}"
    before = client.get(url).content.decode()
    name = case.student.full_name
    assert f"Propuneți elevul din caz: {name}" in before and "data-case-listed" not in before
    client.post(f"/opportunities/{opportunity.pk}/propose/", {"case": case.pk})
    listed = client.get(url).content.decode()
    assert "data-propose-case" not in listed
    assert f"Elevul din caz este pe lista acestei oportunități: {name}." in listed
    participation = Participation.objects.get()
    assert (
        client.post(f"/opportunities/participations/{participation.pk}/withdraw/").status_code
        == 302
    )
    again = client.get(url).content.decode()
    assert "data-propose-case" in again and "data-case-listed" not in again


def test_it_words_the_opportunity_pages_formally_and_for_any_student(
    scene: Scene, case: Case
) -> None:
    scene.opportunity("job_shadowing", days=2)
    opportunity = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    listed = client.get(f"/opportunities/?case={case.pk}").content.decode()
    assert f"Alegeți o oportunitate pentru elevul din caz: {case.student.full_name}." in listed
    assert "Observare la locul de muncă (job shadowing)" in listed
    client.post(f"/opportunities/{opportunity.pk}/propose/", {"case": case.pk})
    page = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "Retrageți" in page and "Retrage<" not in page
    partners = client.get("/opportunities/partners/").content.decode()
    assert "Țara (codul din două litere, de ex. RO)" in partners


def test_it_warns_of_a_lapsing_agreement_in_both_languages(scene: Scene) -> None:
    today = datetime.date.today()
    agreement_add(
        actor=scene.world.coordinator,
        partner=scene.partner,
        purpose="practice",
        signed_on=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=20),
    )
    client = sign_in(Client(), scene.world.admin_staff)
    page = client.get("/opportunities/partners/").content.decode()
    assert 'data-agreement="lapsing"' in page and "expiră în curând" in page
    with translation.override("en"):
        english = client.get("/opportunities/partners/", HTTP_ACCEPT_LANGUAGE="en")
    assert "lapses soon" in english.content.decode()


def test_it_adds_a_partner_from_the_page(scene: Scene) -> None:
    client = sign_in(Client(), scene.world.social)
    answer = client.post(
        "/opportunities/partners/", {"name": "ONG Sprijin", "kind": "ngo", "country": "md"}
    )
    assert answer.status_code == 302
    refused = sign_in(Client(), scene.world.teacher).post(
        "/opportunities/partners/", {"name": "X", "kind": "ngo", "country": "RO"}
    )
    assert refused.status_code == 403


def test_it_adds_an_opportunity_and_names_the_range(scene: Scene) -> None:
    client = sign_in(Client(), scene.world.coordinator)
    answer = client.post(
        "/opportunities/new/",
        {
            "kind": "long_term_mobility",
            "title": "ErasmusPro",
            "starts_on": START.isoformat(),
            "ends_on": (START + datetime.timedelta(days=30)).isoformat(),
            "travel_days": 2,
        },
    )
    # Refused input is a 400, the range named next to the last day (form_write).
    assert answer.status_code == 400
    assert "90\u2013365" in _field_error(answer, "ends_on")


def test_it_records_the_parents_consent_next_to_the_learner_it_is_missing_for(
    scene: Scene,
) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    minor = make_student(scene.world.school, birth_date=datetime.date(2010, 1, 1))
    client = sign_in(Client(), scene.world.coordinator)
    client.post(
        f"/opportunities/{opportunity.pk}/propose/", {"role": "learner", "student_code": minor.code}
    )
    participation = Participation.objects.get(student=minor)
    client.post(f"/opportunities/participations/{participation.pk}/select/")
    refused = client.post(f"/opportunities/participations/{participation.pk}/confirm/")
    assert refused.status_code == 409
    refusal = html.unescape(refused.content.decode())
    assert "participarea la această activitate" in refusal and "mobilitate" not in refusal
    page = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert f'action="/opportunities/participations/{participation.pk}/consent/"' in page
    # Errors next to the fields, in Romanian, with the input kept.
    url = f"/opportunities/participations/{participation.pk}/consent/"
    wrong = client.post(url, {"given_by": "parent", "given_by_name": " "})
    assert wrong.status_code == 400
    assert _field_error(wrong, f"consent_{participation.pk}_given_by_name") == (
        "Acest câmp este obligatoriu."
    )
    assert 'value="parent" selected' in wrong.content.decode()
    recorded = client.post(url, {"given_by": "parent", "given_by_name": "Elena Pop"})
    assert recorded.status_code == 302
    consent = StudentConsent.objects.get(student=minor)
    assert (consent.scope, consent.given_by_name) == ("mobility", "Elena Pop")
    page = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "data-consent-needed" not in page
    confirmed = client.post(f"/opportunities/participations/{participation.pk}/confirm/")
    assert confirmed.status_code == 302
    # Only the opportunity's managers record it.
    teacher = sign_in(Client(), scene.world.form_tutor)
    assert teacher.post(url, {"given_by": "parent", "given_by_name": "X"}).status_code in (403, 404)


def test_it_shows_a_proposals_errors_next_to_its_fields_with_the_input_kept(
    scene: Scene,
) -> None:
    opportunity = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    url = f"/opportunities/{opportunity.pk}/propose/"
    unknown = client.post(url, {"role": "learner", "student_code": "NU-EXISTA"})
    assert unknown.status_code == 400
    assert _field_error(unknown, "student_code") == "Niciun elev al școlii nu are codul NU-EXISTA."
    page = unknown.content.decode()
    assert 'value="NU-EXISTA"' in page and opportunity.title in page and "data-propose" in page
    staff = client.post(url, {"role": "accompanying"})
    assert staff.status_code == 400
    assert _field_error(staff, "staff") == "Alegeți membrul personalului."
    assert not Participation.objects.exists()


def test_it_labels_the_catalogue_filters_and_says_when_a_date_is_wrong(scene: Scene) -> None:
    scene.opportunity("practice_placement", days=10, title="Practică la service")
    client = sign_in(Client(), scene.world.form_tutor)
    page = client.get("/opportunities/").content.decode()
    for label in ("Tip", "Partener", "De la", "Până la"):
        assert re.search(rf'<label class="ao-label" for="id_\w+">{label}</label>', page), label
    reversed_ = client.get("/opportunities/", {"date_from": "2026-04-01", "date_to": "2026-03-01"})
    assert reversed_.status_code == 400
    assert _field_error_span(reversed_, "date_from") == (
        "Prima zi a perioadei este după ultima ei zi."
    )
    bad = client.get("/opportunities/", {"date_from": "2026-02-31"})
    assert bad.status_code == 400 and _field_error_span(bad, "date_from")
    assert 'value="2026-02-31"' in bad.content.decode()


def _field_error_span(answer: Any, field_id: str) -> str:
    found = re.search(
        rf'<span class="ao-error" id="id_{field_id}_error">(.*?)</span>',
        answer.content.decode(),
        re.S,
    )
    return html.unescape(found[1]).strip() if found else ""
