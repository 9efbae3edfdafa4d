"""The consents endpoint of a case: general (library and referral scopes), office members only."""

from __future__ import annotations

import pytest

from casework.models import Case, Consent, Contact
from tests.conftest import client_for
from tests.factories import World, advance

pytestmark = pytest.mark.django_db


def test_it_records_lists_and_withdraws_a_library_consent(world: World, case: Case) -> None:
    case = advance(case, world, "shared")
    client = client_for(world.coordinator)
    created = client.post(
        f"/api/cases/{case.pk}/consents/",
        {"scope": "library", "given_by": "parent", "given_by_name": "Elena Pop"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    listing = client.get(f"/api/cases/{case.pk}/consents/").json()
    assert [c["scope"] for c in listing] == ["library"]
    withdrawn = client.post(
        f"/api/cases/{case.pk}/consents/{created.json()['id']}/withdraw/",
        {"note": "no"},
        format="json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]


def test_it_records_a_referral_consent_for_a_contact(world: World, case: Case) -> None:
    contact = Contact.objects.create(office=world.office, kind="ngo", name="Asociația Exemplu")
    response = client_for(world.psychologist).post(
        f"/api/cases/{case.pk}/consents/",
        {
            "scope": "referral",
            "given_by": "guardian",
            "given_by_name": "Ion Pop",
            "recipient_contact": contact.pk,
            "purpose": "financial support",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Consent.objects.get().recipient_contact == contact


def test_it_names_the_missing_recipient(world: World, case: Case) -> None:
    response = client_for(world.coordinator).post(
        f"/api/cases/{case.pk}/consents/",
        {"scope": "referral", "given_by": "parent", "given_by_name": "Ion Pop"},
        format="json",
    )
    assert response.status_code == 400
    assert "recipient" in response.json()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("role,status", [("teacher", 403), ("form_tutor", 404), ("outsider", 404)])
def test_it_keeps_consents_to_office_members(
    world: World, case: Case, role: str, status: int
) -> None:
    case = advance(case, world, "shared")
    if role == "teacher":
        world.teacher.memberships.update(active=False)
        from casework import roles

        roles.forget_memberships(world.teacher)
    response = client_for(world.user(role)).get(f"/api/cases/{case.pk}/consents/")
    assert response.status_code == status
