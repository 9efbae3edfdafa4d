"""The role checks: one ``require_…`` per check, its message translated where it is raised, and
every front answering with that one message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from casework import policies
from casework.errors import Forbidden
from casework.models import Case
from tests.conftest import client_for
from tests.factories import World, advance

pytestmark = pytest.mark.django_db

ONLY_COORDINATORS = "Doar coordonatorii scriu evaluarea finală."


def test_it_raises_the_check_in_the_language_of_the_request(world: World, case: Case) -> None:
    with translation.override("en"), pytest.raises(Forbidden) as english:
        policies.require_write_closing_review(world.teacher, case)
    assert english.value.detail == "Only coordinators write the closing review."
    with translation.override("ro"), pytest.raises(Forbidden) as romanian:
        policies.require_write_closing_review(world.teacher, case)
    assert romanian.value.detail == ONLY_COORDINATORS
    policies.require_write_closing_review(world.coordinator, case)


def test_it_gives_the_api_and_the_page_the_same_message(world: World, case: Case) -> None:
    case = advance(case, world, "closing")
    api = client_for(world.teacher).post(
        f"/api/cases/{case.pk}/closing-review/",
        {"feedback": "f", "objectives_met": True, "impact": "i", "lessons_learned": "l"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert api.status_code == 403 and api.json()["detail"] == ONLY_COORDINATORS
    page = Client(HTTP_ACCEPT_LANGUAGE="ro")
    page.force_login(world.teacher)
    response = page.post(f"/cases/{case.pk}/closing-review/", {})
    assert response.status_code == 403
    assert ONLY_COORDINATORS in response.content.decode()
