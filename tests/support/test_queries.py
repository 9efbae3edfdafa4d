"""The catalogue, the partner list and the participant list make as many queries for 10 rows
as for 1,000 (no query per row); rows are made in bulk, the reads go through the API."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.models import Student
from support.models import DossierItem, Opportunity, Participation
from tests.conftest import client_for
from tests.support.conftest import START, Scene

pytestmark = pytest.mark.django_db


def _queries(client: APIClient, url: str) -> int:
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
