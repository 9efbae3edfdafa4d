"""The contract's calls for partners, opportunities and participations, as a client sees them:
201 with the record, 400 naming the field, 409 with ``{"detail", "code"}``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from casework.models import AuditEvent, Case
from support.models import Participation, StudentConsent
from tests.conftest import client_for
from tests.factories import make_student
from tests.support.conftest import START, Scene

pytestmark = pytest.mark.django_db


def _opportunity_body(**extra: Any) -> dict[str, Any]:
    body = {
        "kind": "group_mobility",
        "title": "Mobilitate Valencia",
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-19",
        "travel_days": 2,
        "places": 2,
    }
    body.update(extra)
    return body


def test_it_adds_a_partner_and_its_agreement(scene: Scene) -> None:
    api = client_for(scene.world.social)
    answer = api.post(
        "/api/partners/",
        {"name": "IES Valencia", "kind": "school", "country": "ES", "city": "Valencia"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    partner = answer.json()
    assert partner["country"] == "ES" and partner["contact"]
    signed = api.post(
        f"/api/partners/{partner['id']}/agreements/",
        {"purpose": "mobility", "signed_on": "2025-09-15", "valid_until": "2027-08-31"},
        format="json",
    )
    assert signed.status_code == 201, signed.json()
    assert signed.json()["purpose"] == "mobility"
    assert api.get(f"/api/partners/{partner['id']}/").json()["agreements"][0]["state"] == "valid"
    # The partner is an entry of the one directory the referrals use.
    contacts = api.get("/api/contacts/").json()
    rows = contacts["results"] if isinstance(contacts, dict) else contacts
    assert partner["contact"] in [row["id"] for row in rows]


def test_it_refuses_a_partner_with_a_bad_kind_or_country(scene: Scene) -> None:
    api = client_for(scene.world.coordinator)
    answer = api.post(
        "/api/partners/", {"name": "X", "kind": "bank", "country": "ZZ"}, format="json"
    )
    assert answer.status_code == 400
    assert {"kind"} <= set(answer.json())
    answer = api.post(
        "/api/partners/", {"name": "X", "kind": "ngo", "country": "ZZ"}, format="json"
    )
    assert answer.status_code == 400 and set(answer.json()) == {"country"}


def test_it_refuses_partners_to_those_who_do_not_manage(scene: Scene) -> None:
    for name in ("teacher", "psychologist", "form_tutor"):
        answer = client_for(scene.world.user(name)).post(
            "/api/partners/", {"name": "X", "kind": "bad"}, format="json"
        )
        assert answer.status_code == 403, name


def test_it_names_the_range_on_ends_on_in_romanian_and_english(scene: Scene) -> None:
    api = client_for(scene.world.coordinator)
    body = _opportunity_body(ends_on="2026-05-06")
    answer = api.post("/api/opportunities/", body, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"ends_on"}
    assert "2\u201330" in answer.json()["ends_on"][0]
    assert "zile" in answer.json()["ends_on"][0]
    with translation.override("en"):
        english = api.post("/api/opportunities/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "days" in english.json()["ends_on"][0]


def test_it_refuses_a_preparatory_visit_without_a_mobility_on_supports(scene: Scene) -> None:
    api = client_for(scene.world.coordinator)
    answer = api.post(
        "/api/opportunities/",
        _opportunity_body(kind="preparatory_visit", ends_on="2026-04-07"),
        format="json",
    )
    assert answer.status_code == 400 and set(answer.json()) == {"supports"}


def test_it_lists_the_catalogue_with_filters_to_all_school_staff(scene: Scene) -> None:
    scene.opportunity("practice_placement", days=20, places=1)
    scene.opportunity(
        "study_visit",
        days=2,
        starts_on=START + datetime.timedelta(days=60),
        ends_on=START + datetime.timedelta(days=61),
    )
    for name in ("form_tutor", "teacher", "psychologist"):
        rows = client_for(scene.world.user(name)).get("/api/opportunities/").json()
        assert rows["count"] == 2, name
    api = client_for(scene.world.form_tutor)
    assert api.get("/api/opportunities/?kind=study_visit").json()["count"] == 1
    later = (START + datetime.timedelta(days=30)).isoformat()
    assert api.get(f"/api/opportunities/?from={later}").json()["count"] == 1
    assert api.get(f"/api/opportunities/?to={later}").json()["count"] == 1
    assert api.get("/api/opportunities/?kind=cruise").status_code == 400
    assert api.get("/api/opportunities/?from=yesterday").status_code == 400
    assert client_for(scene.world.outsider).get("/api/opportunities/").json()["count"] == 0


def test_it_runs_a_participation_through_its_steps(scene: Scene) -> None:
    opportunity = scene.opportunity("practice_placement", days=20, places=3)
    student = make_student(scene.world.school, birth_date=datetime.date(2001, 1, 1))
    api = client_for(scene.world.coordinator)
    answer = api.post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"student": student.pk, "role": "learner"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "proposed"
    pk = answer.json()["id"]
    wrong = api.post(f"/api/participations/{pk}/start/", {}, format="json")
    assert wrong.status_code == 409 and set(wrong.json()) >= {"detail", "code"}
    for name, status in (
        ("select", "selected"),
        ("confirm", "confirmed"),
        ("start", "in_progress"),
        ("complete", "completed"),
    ):
        moved = api.post(f"/api/participations/{pk}/{name}/", {"note": "ok"}, format="json")
        assert moved.status_code == 200 and moved.json()["status"] == status
    assert api.post(f"/api/participations/{pk}/fly/", {}, format="json").status_code == 400
    again = api.post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"student": student.pk, "role": "learner"},
        format="json",
    )
    assert again.status_code == 409


def test_it_answers_role_mismatch_with_400_on_role(scene: Scene) -> None:
    opportunity = scene.opportunity("staff_course", days=5)
    student = make_student(scene.world.school)
    answer = client_for(scene.world.coordinator).post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"student": student.pk, "role": "learner"},
        format="json",
    )
    assert answer.status_code == 400 and "role" in answer.json()


def test_it_answers_missing_consent_and_takes_the_students_consent(scene: Scene) -> None:
    opportunity = scene.opportunity("practice_placement", days=20)
    minor = make_student(scene.world.school, birth_date=datetime.date(2010, 1, 1))
    api = client_for(scene.world.coordinator)
    pk = api.post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"student": minor.pk, "role": "learner"},
        format="json",
    ).json()["id"]
    api.post(f"/api/participations/{pk}/select/", format="json")
    refused = api.post(f"/api/participations/{pk}/confirm/", format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "missing_consent"
    bad = api.post(
        f"/api/students/{minor.pk}/consents/",
        {"scope": "holiday", "given_by": "parent", "given_by_name": "Elena Pop"},
        format="json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"scope"}
    given = api.post(
        f"/api/students/{minor.pk}/consents/",
        {"scope": "mobility", "given_by": "parent", "given_by_name": "Elena Pop"},
        format="json",
    )
    assert given.status_code == 201
    assert api.post(f"/api/participations/{pk}/confirm/", format="json").status_code == 200
    assert (
        client_for(scene.world.teacher)
        .post(
            f"/api/students/{minor.pk}/consents/",
            {"scope": "mobility", "given_by": "parent", "given_by_name": "E"},
            format="json",
        )
        .status_code
        == 403
    )
    assert StudentConsent.objects.count() == 1


def test_it_shows_the_case_link_only_to_those_who_see_the_case(scene: Scene, case: Case) -> None:
    opportunity = scene.opportunity("practice_placement", days=20)
    answer = client_for(scene.world.coordinator).post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"student": case.student_id, "role": "learner", "case": case.pk},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["case"] == case.pk
    pk = answer.json()["id"]
    # The case is in monitoring: the administrator manages the opportunity but does not see it.
    admin = client_for(scene.world.admin_staff).get(f"/api/participations/{pk}/")
    assert admin.status_code == 200 and admin.json()["case"] is None
    # The flagger sees the case, and through it the participation.
    teacher = client_for(scene.world.teacher)
    assert teacher.get(f"/api/participations/{pk}/").json()["case"] == case.pk
    listed = teacher.get(f"/api/opportunities/{opportunity.pk}/participants/").json()["results"]
    assert [row["id"] for row in listed] == [pk]
    # The form tutor reads the catalogue but sees no participant.
    tutor = client_for(scene.world.form_tutor)
    assert tutor.get(f"/api/opportunities/{opportunity.pk}/").json()["participants"] == []
    assert tutor.get(f"/api/participations/{pk}/").status_code == 404


def test_it_audits_the_participant_list(scene: Scene) -> None:
    opportunity = scene.opportunity("practice_placement", days=20)
    client_for(scene.world.coordinator).post(
        f"/api/opportunities/{opportunity.pk}/participants/",
        {"staff": scene.world.teacher.pk, "role": "accompanying"},
        format="json",
    )
    assert Participation.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="participation", action="create").exists()
