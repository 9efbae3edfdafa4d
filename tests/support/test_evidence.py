"""A completed placement or mobility of the case, linked to it, as the evidence of one of its
SMART objectives: through the service, the API and the case page; 404 → 403 → 400 → 409."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from casework.models import Case, CaseEvent, Objective
from support.models import ObjectiveEvidence, Participation
from support.services import (
    participation_propose,
    participation_transition,
    student_consent_record,
)
from tests.conftest import client_for, sign_in
from tests.factories import advance, make_student
from tests.support.conftest import Scene
from workflows import services

pytestmark = pytest.mark.django_db


def _consent(scene: Scene, case: Case) -> None:
    """The students are minors: a placement needs the parents' consent of scope mobility."""
    student_consent_record(
        actor=scene.world.coordinator,
        student=case.student,
        scope="mobility",
        given_by="parent",
        given_by_name="M",
    )


def _participation(scene: Scene, case: Case, *, until: str = "complete") -> Participation:
    _consent(scene, case)
    participation = participation_propose(
        actor=scene.world.coordinator,
        opportunity=scene.opportunity("practice_placement", days=10, title="Stagiu plătit"),
        role="learner",
        student=case.student,
        case=case,
    )
    for name in ("select", "confirm", "start", "complete"):
        participation = participation_transition(
            actor=scene.world.coordinator, participation=participation, name=name
        )
        if name == until:
            break
    return participation


@pytest.fixture
def objective(scene: Scene, case: Case) -> Objective:
    case = advance(case, scene.world, "intervention")
    found = case.objectives.first()
    assert found is not None
    return found


def _post(scene: Scene, objective: Objective, body: Any, user: str = "coordinator") -> Any:
    return client_for(scene.world.user(user)).post(
        f"/api/objectives/{objective.pk}/evidence/", body, format="json"
    )


def test_it_links_a_completed_placement_as_evidence(scene: Scene, objective: Objective) -> None:
    participation = _participation(scene, objective.case)
    answer = _post(scene, objective, {"participation": participation.pk})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["participation"] == participation.pk and body["objective"] == objective.pk
    assert body["kind"] == "practice_placement" and body["title"] == "Stagiu plătit"
    listed = client_for(scene.world.coordinator).get(f"/api/objectives/{objective.pk}/evidence/")
    assert [row["id"] for row in listed.json()] == [body["id"]]
    event = CaseEvent.objects.get(case=objective.case, name="objective_evidence")
    assert event.kind == "objective" and event.data["participation"] == participation.pk
    again = _post(scene, objective, {"participation": participation.pk})
    assert again.status_code == 409 and again.json()["code"] == "already_evidence"


def test_it_refuses_a_participation_not_completed(scene: Scene, objective: Objective) -> None:
    participation = _participation(scene, objective.case, until="start")
    answer = _post(scene, objective, {"participation": participation.pk})
    assert answer.status_code == 409 and answer.json()["code"] == "not_completed"
    assert not ObjectiveEvidence.objects.exists()


def test_it_refuses_a_participation_of_another_case(scene: Scene, objective: Objective) -> None:
    other = advance(
        services.case_flag(
            student=make_student(scene.world.school),
            actor=scene.world.teacher,
            reason="r",
            functions=["socio_economic"],
        ),
        scene.world,
        "intervention",
    )
    participation = _participation(scene, other)
    answer = _post(scene, objective, {"participation": participation.pk})
    assert answer.status_code == 409 and answer.json()["code"] == "other_case"
    assert not ObjectiveEvidence.objects.exists()
    assert not CaseEvent.objects.filter(name="objective_evidence").exists()


@pytest.mark.parametrize("value", [None, "", "x", 0, 2**70, 999_999])
def test_it_names_the_participation_field(
    scene: Scene, objective: Objective, value: object
) -> None:
    body = {} if value is None else {"participation": value}
    with translation.override("en"):
        answer = _post(scene, objective, body)
    assert answer.status_code == 400 and "participation" in answer.json()


def test_it_keeps_evidence_from_those_who_do_not_review(scene: Scene, objective: Objective) -> None:
    participation = _participation(scene, objective.case)
    # The teacher who flagged the case sees it but holds none of its tasks.
    body = {"participation": participation.pk}
    assert _post(scene, objective, body, "teacher").status_code == 403
    assert _post(scene, objective, body, "outsider").status_code == 404


def _error(page: Any, objective: Objective) -> str:
    found = re.search(
        rf'id="id_evidence_{objective.pk}_participation_error">(.*?)</p>',
        page.content.decode(),
        re.S,
    )
    return html.unescape(found[1]).strip() if found else ""


def test_it_links_the_evidence_from_the_case_page(scene: Scene, objective: Objective) -> None:
    participation = _participation(scene, objective.case)
    client = sign_in(Client(), scene.world.coordinator)
    page = client.get(f"/cases/{objective.case_id}/").content.decode()
    assert f'data-evidence-form="{objective.pk}"' in page
    assert "Dați un stagiu sau o mobilitate încheiată drept dovadă" in page
    empty = client.post(f"/opportunities/objectives/{objective.pk}/evidence/", {})
    assert empty.status_code == 400
    assert _error(empty, objective) == "Acest câmp este obligatoriu."
    linked = client.post(
        f"/opportunities/objectives/{objective.pk}/evidence/", {"participation": participation.pk}
    )
    assert linked.status_code == 302
    assert linked["Location"].endswith(f"/cases/{objective.case_id}/#objective-{objective.pk}")
    after = client.get(f"/cases/{objective.case_id}/").content.decode()
    assert f'data-objective-evidence="{objective.pk}"' in after
    assert "Stagiu plătit" in after
    assert "Dovada unui obiectiv: Stagiu de practică la un angajator încheiat" in after
    # Nothing more to give: the form is gone.
    assert f'data-evidence-form="{objective.pk}"' not in after


def test_it_offers_no_form_to_a_reader_who_does_not_review(
    scene: Scene, objective: Objective
) -> None:
    _participation(scene, objective.case)
    page = sign_in(Client(), scene.world.teacher).get(f"/cases/{objective.case_id}/")
    assert page.status_code == 200
    assert "data-evidence-form" not in page.content.decode()
    assert "Stagiu plătit" in page.content.decode()  # the linked placement, in its section
