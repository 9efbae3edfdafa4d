"""Export → import between two installations: signed versioned JSON, deduplication, provenance,
tombstones, and strict validation of what comes in (signature, schema, anonymiser)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from casework.errors import Invalid
from casework.models import LibraryEntry, PartnerOrganisation
from casework.services.library import library_entry_withdraw
from casework.services.library_exchange import library_export, library_import
from casework.services.library_keys import (
    document_sign,
    own_public_key,
    partner_key_add,
    partner_key_retire,
)
from tests.casework.library_support import fill_register, published_entry
from tests.conftest import client_for
from tests.factories import World

pytestmark = pytest.mark.django_db

UUID = "6f1c1f54-3f6e-4c43-9a0b-5a4b1e1e9a11"


@pytest.fixture
def partner(db: None) -> PartnerOrganisation:
    """A partner whose key is, in these tests, the one this process signs with."""
    partner = PartnerOrganisation.objects.create(code="uslip", name="USLIP")
    partner_key_add(partner=partner, public_key=own_public_key()[1])
    return partner


@contextmanager
def signing_as(settings: Any, path: Path) -> Iterator[None]:
    """Act as another deployment: sign with the key kept in ``path``."""
    before = settings.LIBRARY_SIGNING_KEY_FILE
    settings.LIBRARY_SIGNING_KEY_FILE = path
    try:
        yield
    finally:
        settings.LIBRARY_SIGNING_KEY_FILE = before


def _move_to_partner() -> None:
    """Pretend the export came from another installation: our own rows are not there."""
    LibraryEntry.objects.filter(origin="own").delete()


def _entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "uuid": UUID,
        "version": 1,
        "status": "published",
        "language": "en",
        "published_at": "2025-06-30T11:00:00+03:00",
        "narrative": {
            "title": "Pedagogical support (16-17 years, mechanics)",
            "situation": "Absent a lot from the workshop.",
            "intervention": "",
            "what_worked": "",
            "lessons_learned": "",
            "outcome": "",
        },
        "facts": {
            "profile": {
                "age_band": "16-17",
                "programme": "mechanics",
                "programme_level": "family",
                "region": "Nord-Est",
            },
            "functions": ["pedagogical"],
        },
        "tags": ["function:pedagogical"],
    }
    entry.update(changes)
    return entry


def _document(*entries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    document = {
        "schema": "action-office/case-library",
        "schema_version": 2,
        "publisher": {"name": "Partner"},
        "exported_at": "2025-06-30T12:00:00+03:00",
        "entries": list(entries),
    }
    document.update(changes)
    return document_sign(document)


def _post(world: World, document: Any, partner: str = "uslip") -> Any:
    # In English: the deployment's default language is Romanian (tested at the end).
    return client_for(world.coordinator).post(
        "/api/library/import/",
        {"partner": partner, "document": document},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_it_exports_a_signed_versioned_document(world: World) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    response = client_for(world.teacher).get("/api/library/export/")
    assert response.status_code == 200
    document = response.json()
    assert (document["schema"], document["schema_version"]) == ("action-office/case-library", 2)
    key_id, _ = own_public_key()
    assert document["signature"]["key_id"] == key_id
    assert document["signature"]["algorithm"] == "ed25519"
    [exported] = document["entries"]
    assert exported["uuid"] == str(entry.uuid)
    assert set(exported) == {
        "uuid", "version", "status", "language", "published_at", "narrative", "facts", "tags"
    }  # fmt: skip
    assert "case" not in str(exported["facts"].keys())


def test_it_exchanges_entries_between_two_schools_keys(
    world: World, settings: Any, tmp_path: Path
) -> None:
    """School A and school B each sign with their own key; each registers the other's public
    key; each imports the other's export, and neither accepts the other's file as the third
    partner's."""
    fill_register(world.school, 6)
    key_a, key_b = tmp_path / "a.pem", tmp_path / "b.pem"
    with signing_as(settings, key_a):
        entry_a = published_entry(world)
        from_a = client_for(world.teacher).get("/api/library/export/").json()
        public_a = own_public_key()[1]
    _move_to_partner()
    with signing_as(settings, key_b):
        entry_b = published_entry(world)
        from_b = client_for(world.teacher).get("/api/library/export/").json()
        public_b = own_public_key()[1]
    assert public_a != public_b
    school_a = PartnerOrganisation.objects.create(code="school-a", name="School A")
    school_b = PartnerOrganisation.objects.create(code="school-b", name="School B")
    partner_key_add(partner=school_a, public_key=public_a)
    partner_key_add(partner=school_b, public_key=public_b)
    # B's deployment imports A's export (B's own entry stays its own).
    assert _post(world, from_a, "school-a").json()["created"] == 1
    assert _post(world, from_b, "school-a").status_code == 400  # B's file is not A's
    # A's deployment imports B's export.
    _move_to_partner()
    assert _post(world, from_b, "school-b").json()["created"] == 1
    assert _post(world, from_a, "school-b").status_code == 400
    imported = dict(LibraryEntry.objects.values_list("uuid", "partner__code"))
    assert imported == {entry_a.uuid: "school-a", entry_b.uuid: "school-b"}


def test_it_round_trips_and_deduplicates(world: World, partner: PartnerOrganisation) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    document = library_export()
    narrative = entry.narrative
    _move_to_partner()
    result = _post(world, document)
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
    second["entries"][0]["narrative"]["lessons_learned"] = "Lecția a fost corectată."
    second = document_sign(second)  # the publisher's correction, signed by the publisher
    library_entry_withdraw(entry=entry, actor=world.coordinator, reason="consent")
    third = library_export()
    assert third["entries"][0]["status"] == "withdrawn" and "narrative" not in third["entries"][0]
    _move_to_partner()
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


# -- the signature -------------------------------------------------------------------------


def test_it_refuses_a_forged_correction(world: World, partner: PartnerOrganisation) -> None:
    """Editing an entry's text and bumping its version breaks the signature: nothing written,
    and the genuine version imported afterwards is the one that stands."""
    genuine = _document(_entry())
    forged = copy.deepcopy(genuine)
    forged["entries"][0]["version"] = 2
    forged["entries"][0]["narrative"]["situation"] = "Forged."
    response = _post(world, forged)
    assert response.status_code == 400
    assert response.json() == {"signature": ["The document was altered after it was signed."]}
    assert not LibraryEntry.objects.exists()
    assert _post(world, genuine).json()["created"] == 1
    assert LibraryEntry.objects.get().situation == "Absent a lot from the workshop."


@pytest.mark.parametrize(
    "unsign,message",
    [
        (lambda d: d.pop("signature"), "The document is unsigned."),
        (
            lambda d: (d.pop("signature"), d.update(schema_version=1)),
            "Version 1 documents are unsigned: ask the partner for a version 2 export.",
        ),
        (
            lambda d: d["signature"].update(algorithm="rsa"),
            "Only ed25519 signatures are accepted.",
        ),
        (
            lambda d: d["signature"].update(value="not base64!"),
            "The document was altered after it was signed.",
        ),
        (
            lambda d: d["signature"].update(colour="red"),
            "Expected an object with key_id, algorithm and value.",
        ),
    ],
)
def test_it_refuses_an_unsigned_document(
    world: World, partner: PartnerOrganisation, unsign: Any, message: str
) -> None:
    document = _document(_entry())
    unsign(document)
    response = _post(world, document)
    assert response.status_code == 400
    assert response.json() == {"signature": [message]}
    assert not LibraryEntry.objects.exists()


def test_it_refuses_a_key_that_is_not_the_partners(
    world: World, partner: PartnerOrganisation, settings: Any, tmp_path: Path
) -> None:
    with signing_as(settings, tmp_path / "stranger.pem"):
        from_stranger = _document(_entry())
        stranger = own_public_key()[1]
    other = PartnerOrganisation.objects.create(code="other", name="Other")
    partner_key_add(partner=other, public_key=stranger)
    for document, partner_code in ((from_stranger, "uslip"), (_document(_entry()), "other")):
        response = _post(world, document, partner_code)
        assert response.status_code == 400
        assert response.json() == {"signature": ["Signed by a key that is not this partner's."]}
    assert not LibraryEntry.objects.exists()


def test_it_refuses_a_retired_key_and_takes_the_new_one(
    world: World, partner: PartnerOrganisation, settings: Any, tmp_path: Path
) -> None:
    """Rotation: files signed with the old key verify until the receiver retires it."""
    old_file = _document(_entry())
    with signing_as(settings, tmp_path / "new.pem"):
        new_file = _document(_entry(uuid="0e2b6c9e-8a4d-4f6e-9b1a-2c3d4e5f6a7b"))
        partner_key_add(partner=partner, public_key=own_public_key()[1])
    partner_key_retire(partner=partner, key_id=old_file["signature"]["key_id"])
    assert _post(world, old_file).status_code == 400
    assert _post(world, new_file).json()["created"] == 1


# -- the schema ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate,place",
    [
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["publisher"].update(email="x@example.org"), "publisher.email"),
        (lambda d: d["entries"][0].update(case=12), "entries[0].case"),
        (
            lambda d: d["entries"][0]["facts"]["profile"].update(student_name="Alexandru Popescu"),
            "entries[0].facts.profile.student_name",
        ),
        (lambda d: d["entries"][0]["facts"].update(notes="x"), "entries[0].facts.notes"),
        (lambda d: d["entries"][0]["narrative"].update(case="x"), "entries[0].narrative.case"),
        (lambda d: d.update(schema_version=3), "schema_version"),
        (lambda d: d.update(schema="other"), "schema"),
        (lambda d: d.update(entries="x"), "entries"),
        (lambda d: d["entries"][0].update(uuid="nope"), "entries[0].uuid"),
        (lambda d: d["entries"][0].update(version=0), "entries[0].version"),
        (lambda d: d["entries"][0].update(published_at="2025-13-45T99:00:00Z"), None),
    ],
)
def test_it_refuses_a_document_the_schema_refuses_naming_the_place(
    world: World, partner: PartnerOrganisation, mutate: Any, place: str | None
) -> None:
    document = _document(_entry())
    mutate(document)
    response = _post(world, document_sign(document))
    assert response.status_code == 400
    assert place is None or list(response.json()) == [place], response.json()
    assert not LibraryEntry.objects.exists()


# -- identifiers in any field --------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "Alexandru Popescu"),
        ("situation", "Elevul cod D-1001 lipsește."),
        ("intervention", "Tutoring for 12A after classes."),
        ("what_worked", "Calling +40 722 123 456 each Monday."),
        ("lessons_learned", "Student D-1001 needed a mentor."),
        ("outcome", "Back in class 11B since March 14, 2025."),
    ],
)
def test_it_refuses_an_identifier_in_the_narrative_naming_the_entry_and_field(
    world: World, partner: PartnerOrganisation, field: str, value: str
) -> None:
    entry = _entry()
    entry["narrative"][field] = value
    response = _post(world, _document(entry))
    assert response.status_code == 400
    [(place, [message])] = response.json().items()
    assert place == f"entries[0].narrative.{field}"
    assert UUID in message
    assert not LibraryEntry.objects.exists()


@pytest.mark.parametrize(
    "change,place",
    [
        (
            lambda e: e["facts"]["profile"].update(age_band="Alexandru Popescu D-1001"),
            "entries[0].facts.profile.age_band",
        ),
        (
            lambda e: e["facts"]["profile"].update(region="Strada Lungă 4, Bârlad"),
            "entries[0].facts.profile.region",
        ),
        (lambda e: e["facts"].update(functions=["D-1001"]), "entries[0].facts.functions[0]"),
        (
            lambda e: e["facts"].update(referrals={"total": 1, "by_kind": {"Asociația X": 1}}),
            "entries[0].facts.referrals.by_kind.Asociația X",
        ),
        (
            lambda e: e["facts"].update(interventions={"types": ["Ana Pop"], "counts": {}}),
            "entries[0].facts.interventions.types[0]",
        ),
        (lambda e: e.update(tags=["risk:Alexandru Popescu"]), "entries[0].tags[0]"),
        (lambda e: e.update(tags=["class:12A"]), "entries[0].tags[0]"),
    ],
)
def test_it_refuses_an_identifier_in_facts_and_tags_naming_the_entry_and_field(
    world: World, partner: PartnerOrganisation, change: Any, place: str
) -> None:
    entry = _entry()
    change(entry)
    response = _post(world, _document(entry))
    assert response.status_code == 400
    assert list(response.json()) == [place], response.json()
    assert not LibraryEntry.objects.exists()


def test_it_refuses_a_locality_finer_than_the_profile_allows(
    world: World, partner: PartnerOrganisation
) -> None:
    """The k-anonymity rule of a local draft: once the age or programme was generalised, a
    locality in the text says its country only."""
    entry = _entry()
    entry["facts"]["profile"].update(programme="industry", programme_level="sector")
    entry["narrative"]["situation"] = "Lives in [town: Romania, North-East]."
    response = _post(world, _document(entry))
    assert list(response.json()) == ["entries[0].narrative.situation"]
    entry["narrative"]["situation"] = "Lives in [town: Romania]."
    assert _post(world, _document(entry)).json()["created"] == 1


def test_it_takes_an_already_scrubbed_entry_with_its_placeholders(
    world: World, partner: PartnerOrganisation
) -> None:
    entry = _entry()
    entry["narrative"]["situation"] = "Call her mother, Mrs [name], on [phone], class [class]."
    assert _post(world, _document(entry)).json()["created"] == 1
    stored = LibraryEntry.objects.get()
    assert stored.situation == entry["narrative"]["situation"]
    assert [r["kind"] for r in stored.replacements["situation"]] == ["person", "phone", "class"]


def test_it_writes_nothing_when_a_later_entry_is_refused(
    world: World, partner: PartnerOrganisation
) -> None:
    bad = _entry(uuid="0e2b6c9e-8a4d-4f6e-9b1a-2c3d4e5f6a7b")
    bad["narrative"]["outcome"] = "See D-1001."
    response = _post(world, _document(_entry(), bad))
    assert list(response.json()) == ["entries[1].narrative.outcome"]
    assert not LibraryEntry.objects.exists()


def test_it_lets_only_coordinators_import(world: World, partner: PartnerOrganisation) -> None:
    document = library_export()
    for role, status in (("psychologist", 403), ("teacher", 403), ("coordinator", 200)):
        response = client_for(world.user(role)).post(
            "/api/library/import/", {"partner": "uslip", "document": document}, format="json"
        )
        assert response.status_code == status


def test_it_raises_invalid_from_the_service_too(world: World, partner: PartnerOrganisation) -> None:
    with pytest.raises(Invalid) as refused:
        library_import(document={"entries": []}, partner=partner, actor=world.coordinator)
    assert list(refused.value.fields) == ["signature"]


@pytest.mark.parametrize(
    "programme,level,accepted",
    [
        ("mechanics", "family", True),
        ("industry", "sector", True),
        (None, None, True),
        ("other", "sector", True),
        ("mechanics", "sector", False),
        ("industry", "family", False),
        (None, "family", False),
    ],
)
def test_it_refuses_a_profile_that_contradicts_itself(
    world: World, partner: PartnerOrganisation, programme: Any, level: Any, accepted: bool
) -> None:
    entry = _entry()
    entry["facts"]["profile"].update(programme=programme, programme_level=level)
    response = _post(world, _document(entry))
    if accepted:
        assert response.status_code == 200, response.json()
    else:
        assert list(response.json()) == ["entries[0].facts.profile.programme_level"]
        assert not LibraryEntry.objects.exists()


def test_it_names_why_in_romanian_too(world: World, partner: PartnerOrganisation) -> None:
    entry = _entry()
    entry["narrative"]["situation"] = "Elevul cod D-1001 lipsește."
    client = client_for(world.coordinator)
    response = client.post(
        "/api/library/import/",
        {"partner": "uslip", "document": _document(entry)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    [message] = response.json()["entries[0].narrative.situation"]
    assert message.startswith(f"Intrarea {UUID}: anonimizatorul nostru ar modifica acest text")
    unsigned = client.post(
        "/api/library/import/",
        {"partner": "uslip", "document": {"entries": []}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert unsigned.json() == {"signature": ["Documentul nu este semnat."]}
