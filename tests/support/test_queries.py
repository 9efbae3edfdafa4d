"""The catalogue, the partner list, the participant list (and its XLSX and CSV) and a partner's
page make as many queries for 10 rows as for 1,000 (no query per row); rows are made in bulk."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.models import Case, Student
from support.models import DossierItem, Opportunity, Participation
from tests.conftest import client_for, sign_in
from tests.support.conftest import START, Scene

pytestmark = pytest.mark.django_db


def _queries(client: APIClient | Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _opportunities(scene: Scene, count: int) -> None:
    Opportunity.objects.bulk_create(
        Opportunity(
            school=scene.world.school,
            kind="practice_placement",
            title=f"Practică {n}",
            partner=scene.partner,
            starts_on=START,
            ends_on=START + datetime.timedelta(days=9),
            places=5,
            created_by=scene.world.coordinator,
        )
        for n in range(count)
    )


def _participants(scene: Scene, opportunity: Opportunity, count: int, case_id: int | None) -> None:
    first = Student.objects.count()
    students = Student.objects.bulk_create(
        Student(
            school=scene.world.school,
            code=f"Q-{first + n:06d}",
            first_name="Ana",
            last_name=f"Pop{n}",
            class_name="10A",
            programme="Mecanic auto",
        )
        for n in range(count)
    )
    made = Participation.objects.bulk_create(
        Participation(
            opportunity=opportunity,
            role="learner",
            student=student,
            proposed_by=scene.world.coordinator,
            case_id=case_id,
        )
        for student in students
    )
    DossierItem.objects.bulk_create(DossierItem(participation=p, item="insurance") for p in made)


def test_it_lists_the_catalogue_and_partners_in_constant_queries(scene: Scene) -> None:
    api = client_for(scene.world.coordinator)
    urls = ["/api/opportunities/", "/api/opportunities/?open=1", "/api/partners/"]
    _opportunities(scene, 10)
    small = [_queries(api, url) for url in urls]
    _opportunities(scene, 990)
    large = [_queries(api, url) for url in urls]
    assert small == large


def test_it_lists_participants_in_constant_queries(scene: Scene) -> None:
    mobility = scene.opportunity("short_term_mobility", days=20)
    url = f"/api/opportunities/{mobility.pk}/participants/"
    detail = f"/api/opportunities/{mobility.pk}/"
    api = client_for(scene.world.coordinator)
    _participants(scene, mobility, 10, None)
    small = [_queries(api, url), _queries(api, detail)]
    _participants(scene, mobility, 990, None)
    large = [_queries(api, url), _queries(api, detail)]
    assert small == large


def test_it_exports_participants_in_constant_queries(scene: Scene, case: Case) -> None:
    mobility = scene.opportunity("short_term_mobility", days=20)
    urls = [f"/api/opportunities/{mobility.pk}/participants.{fmt}" for fmt in ("xlsx", "csv")]
    api = client_for(scene.world.coordinator)
    _participants(scene, mobility, 10, case.pk)
    small = [_queries(api, url) for url in urls]
    _participants(scene, mobility, 990, case.pk)
    large = [_queries(api, url) for url in urls]
    assert small == large


def test_it_shows_a_partner_page_in_constant_queries(scene: Scene) -> None:
    placement = scene.opportunity("practice_placement", days=10)
    client = sign_in(Client(), scene.world.coordinator)
    url = f"/opportunities/partners/{scene.partner.pk}/"
    _participants(scene, placement, 10, None)
    Participation.objects.update(status="confirmed")
    small = _queries(client, url)
    _participants(scene, placement, 990, None)
    Participation.objects.update(status="confirmed")
    assert _queries(client, url) == small
