"""Consent to share a case outside the office: recorded, matched, withdrawn."""

from __future__ import annotations

import datetime

import pytest

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import Case, Consent, Contact
from casework.services.consents import active_consent, consent_record
from tests.factories import World
from workflows.services import consent_withdraw


@pytest.fixture
def contact(world: World) -> Contact:
    return Contact.objects.create(
        office=world.office, kind=Contact.Kind.SOCIAL_SERVICE, name="DGASPC Demo"
    )


def test_it_records_a_referral_consent_for_one_recipient(
    world: World, case: Case, contact: Contact
) -> None:
    consent = consent_record(
        case=case,
        actor=world.psychologist,
        scope="referral",
        given_by="parent",
        given_by_name="Maria Popescu",
        recipient_contact=contact,
        purpose="financial support",
    )
    assert active_consent(case, "referral", recipient_contact=contact) == consent
    assert active_consent(case, "referral", recipient_user=world.network) is None
    assert case.events.filter(name="consent_recorded").exists()


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"scope": "referral"}, "recipient"),
        ({"scope": "library", "recipient": True}, "recipient"),
        ({"scope": "library", "given_by_name": " "}, "given_by_name"),
        (
            {"scope": "library", "given_on": datetime.date.today() + datetime.timedelta(days=2)},
            "given_on",
        ),
    ],
)
def test_it_refuses_an_incomplete_consent(
    fields: dict[str, object], error: str, world: World, case: Case, contact: Contact
) -> None:
    kwargs: dict[str, object] = {"given_by": "student", "given_by_name": "Ana Pop", **fields}
    if kwargs.pop("recipient", False):
        kwargs["recipient_contact"] = contact
    with pytest.raises(Invalid) as raised:
        consent_record(case=case, actor=world.coordinator, **kwargs)  # type: ignore[arg-type]
    assert error in raised.value.fields
    assert not Consent.objects.exists()


def test_it_keeps_consent_to_office_members(world: World, case: Case) -> None:
    for user in (world.form_tutor, world.network, world.outsider):
        with pytest.raises(Forbidden):
            consent_record(
                case=case, actor=user, scope="library", given_by="student", given_by_name="A"
            )


def test_it_withdraws_a_consent_once(world: World, case: Case) -> None:
    consent = consent_record(
        case=case, actor=world.coordinator, scope="library", given_by="guardian", given_by_name="B"
    )
    consent_withdraw(consent=consent, actor=world.coordinator, note="family changed its mind")
    assert active_consent(case, "library") is None
    assert Consent.objects.get(pk=consent.pk).withdrawal_note == "family changed its mind"
    with pytest.raises(Conflict):
        consent_withdraw(consent=consent, actor=world.coordinator)


def test_it_records_and_withdraws_consent_over_the_api(world: World, case: Case) -> None:
    from tests.conftest import client_for

    client = client_for(world.psychologist)
    response = client.post(
        f"/api/cases/{case.pk}/consents/",
        {
            "scope": "referral",
            "given_by": "parent",
            "given_by_name": "Maria Pop",
            "recipient_user": world.network.pk,
            "purpose": "social services",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    consent_id = response.json()["id"]
    assert response.json()["active"] is True
    listing = client_for(world.coordinator).get(f"/api/cases/{case.pk}/consents/").json()
    assert [c["id"] for c in listing] == [consent_id]
    assert (
        client_for(world.teacher).post(f"/api/consents/{consent_id}/withdraw/").status_code == 200
    )
    assert (
        client_for(world.outsider).post(f"/api/consents/{consent_id}/withdraw/").status_code == 404
    )


def test_it_checks_consent_input_and_role_over_the_api(world: World, case: Case) -> None:
    from tests.conftest import client_for

    body = {"scope": "library", "given_by": "uncle", "given_by_name": "X"}
    bad = client_for(world.psychologist).post(
        f"/api/cases/{case.pk}/consents/", body, format="json"
    )
    assert bad.status_code == 400 and "given_by" in bad.json()
    body["given_by"] = "student"
    # form_tutor does not see someone else's case: 404; social sees nothing in monitoring.
    assert (
        client_for(world.form_tutor)
        .post(f"/api/cases/{case.pk}/consents/", body, format="json")
        .status_code
        == 404
    )
    assert not Consent.objects.exists()


def test_it_lists_the_directory_to_internal_members_only(world: World, contact: Contact) -> None:
    from tests.conftest import client_for

    Contact.objects.create(office=world.office, kind="ngo", name="Old NGO", active=False)
    listing = client_for(world.teacher).get("/api/contacts/").json()
    assert [c["name"] for c in listing["results"]] == ["DGASPC Demo"]
    assert client_for(world.teacher).get("/api/contacts/", {"kind": "ngo"}).json()["count"] == 0
    for outsider in (world.network, world.form_tutor, world.outsider):
        assert client_for(outsider).get("/api/contacts/").json()["count"] == 0
