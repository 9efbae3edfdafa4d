"""Export → import between two installations: versioned JSON, deduplication, provenance,
tombstones, and strict validation of what comes in."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from casework.models import LibraryEntry, PartnerOrganisation
from casework.services.library import library_entry_withdraw
from casework.services.library_exchange import library_export, library_import
from tests.casework.library_support import fill_register, published_entry
from tests.conftest import client_for
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db: None) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(code="uslip", name="USLIP")


def _move_to_partner(document: dict[str, Any]) -> None:
    """Pretend the export came from another installation: our own rows are not there."""
    LibraryEntry.objects.filter(origin="own").delete()


def test_it_exports_a_versioned_document(world: World) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    response = client_for(world.teacher).get("/api/library/export/")
    assert response.status_code == 200
    document = response.json()
    assert (document["schema"], document["schema_version"]) == ("action-office/case-library", 1)
    [exported] = document["entries"]
    assert exported["uuid"] == str(entry.uuid)
    assert set(exported) == {
        "uuid", "version", "status", "language", "published_at", "narrative", "facts", "tags"
    }  # fmt: skip
    assert "case" not in str(exported["facts"].keys())


def test_it_round_trips_and_deduplicates(world: World, partner: PartnerOrganisation) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    document = library_export()
    narrative = entry.narrative
    _move_to_partner(document)
    result = client_for(world.coordinator).post(
        "/api/library/import/", {"partner": "uslip", "document": document}, format="json"
    )
    assert result.status_code == 200, result.json()
    assert result.json() == {"created": 1, "withdrawn": 0, "unchanged": 0, "skipped": 0}
    again = library_import(document=document, partner=partner, actor=world.coordinator)
    assert again == {"created": 0, "withdrawn": 0, "unchanged": 1, "skipped": 0}
    imported = LibraryEntry.objects.get()
    assert (imported.origin, imported.partner, imported.source_name) == (
        "partner",
        partner,
        "Action Office",
    )
    assert imported.narrative == narrative and imported.case is None
    search = client_for(world.teacher).get("/api/library/?source=partner").json()
    assert search["results"][0]["provenance"]["partner"] == "uslip"
    assert client_for(world.teacher).get("/api/library/").json()["count"] == 0


def test_it_never_mixes_an_import_with_own_entries(
    world: World, partner: PartnerOrganisation
) -> None:
    fill_register(world.school, 6)
    published_entry(world)
    result = library_import(document=library_export(), partner=partner, actor=world.coordinator)
    assert result["skipped"] == 1
    assert LibraryEntry.objects.filter(origin="partner").count() == 0


def test_it_takes_new_versions_and_tombstones(world: World, partner: PartnerOrganisation) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    first = library_export()
    second = copy.deepcopy(first)
    second["entries"][0]["version"] = 2
    second["entries"][0]["narrative"]["lessons_learned"] = "Corrected."
    library_entry_withdraw(entry=entry, actor=world.coordinator, reason="consent")
    third = library_export()
    assert third["entries"][0]["status"] == "withdrawn" and "narrative" not in third["entries"][0]
    _move_to_partner(first)
    library_import(document=first, partner=partner, actor=world.coordinator)
    library_import(document=second, partner=partner, actor=world.coordinator)
    statuses = dict(LibraryEntry.objects.values_list("version", "status"))
    assert statuses == {1: "superseded", 2: "published"}
    assert (
        library_import(document=third, partner=partner, actor=world.coordinator)["withdrawn"] == 1
    )
    assert set(LibraryEntry.objects.values_list("status", flat=True)) == {"withdrawn"}
    assert LibraryEntry.objects.get(version=2).lessons_learned == ""
    # An old export imported later does not bring the entry back.
    assert library_import(document=first, partner=partner, actor=world.coordinator)["created"] == 0
    assert set(LibraryEntry.objects.values_list("status", flat=True)) == {"withdrawn"}


def test_it_scrubs_what_a_partner_sends(world: World, partner: PartnerOrganisation) -> None:
    document = {
        "schema": "action-office/case-library",
        "schema_version": 1,
        "publisher": {"name": "Partner"},
        "entries": [
            {
                "uuid": "6f1c1f54-3f6e-4c43-9a0b-5a4b1e1e9a11",
                "version": 1,
                "status": "published",
                "language": "en",
                "narrative": {"situation": "Call her mother, Mrs Young, on +44 7700 900456."},
                "facts": {"functions": ["pedagogical"]},
                "tags": ["function:pedagogical"],
            }
        ],
    }
    library_import(document=document, partner=partner, actor=world.coordinator)
    assert LibraryEntry.objects.get().situation == "Call her mother, Mrs [name], on [phone]."


@pytest.mark.parametrize(
    "change,field",
    [
        ({"schema": "other"}, "schema"),
        ({"schema_version": 2}, "schema_version"),
        ({"entries": "x"}, "entries"),
        ({"entries": [{"uuid": "nope", "version": 1, "status": "published"}]}, "entries[0].uuid"),
        (
            {"entries": [{"uuid": "6f1c1f54-3f6e-4c43-9a0b-5a4b1e1e9a11", "version": 0}]},
            "entries[0].version",
        ),
        (
            {
                "entries": [
                    {
                        "uuid": "6f1c1f54-3f6e-4c43-9a0b-5a4b1e1e9a11",
                        "version": 1,
                        "status": "published",
                        "narrative": {"case": "x"},
                    }
                ]
            },
            "entries[0].narrative.case",
        ),
    ],
)
def test_it_refuses_a_bad_document_naming_the_place(
    world: World, partner: PartnerOrganisation, change: dict[str, Any], field: str
) -> None:
    document = {"schema": "action-office/case-library", "schema_version": 1, "entries": []}
    document.update(change)
    response = client_for(world.coordinator).post(
        "/api/library/import/", {"partner": "uslip", "document": document}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not LibraryEntry.objects.exists()


def test_it_lets_only_coordinators_import(world: World, partner: PartnerOrganisation) -> None:
    document = library_export()
    for role, status in (("psychologist", 403), ("teacher", 403), ("coordinator", 200)):
        response = client_for(world.user(role)).post(
            "/api/library/import/", {"partner": "uslip", "document": document}, format="json"
        )
        assert response.status_code == status
