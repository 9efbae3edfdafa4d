"""Drafting, the two-person rule, immutability, versions and tombstones, through the API."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient
from django.utils import timezone

from casework.models import Consent, LibraryEntry
from casework.models.library import ImmutableEntryError
from casework.services.accounts import api_token_issue
from tests.casework.library_support import archived_case, fill_register, published_entry
from tests.conftest import client_for
from tests.factories import World, advance, make_student
from workflows.services import case_flag, consent_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def register(world: World) -> None:
    fill_register(world.school, 6)


def _draft(world: World) -> dict[str, Any]:
    case = archived_case(world)
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_it_drafts_a_scrubbed_generalised_entry_with_highlights(world: World) -> None:
    case = archived_case(world, first_name="Ștefan", last_name="Țurcanu")
    case.reason = "Ștefan Țurcanu lipsește; mama sună la 0721 234 567."
    case.save()
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["narrative"]["situation"] == "[elev] lipsește; mama sună la [telefon]."
    highlights = body["replacements"]["situation"]
    assert [h["kind"] for h in highlights] == ["student", "phone"]
    assert body["facts"]["profile"] == {
        "age_band": "16-17",
        "programme": "mechanics",
        "programme_level": "family",
        "region": None,
    }
    assert body["generalisation"]["satisfied"] is True
    assert {"function:pedagogical", "outcome:all"} <= set(body["tags"])
    assert case.events.filter(name="library_drafted").exists()


@pytest.mark.parametrize(
    "role,status", [("teacher", 403), ("psychologist", 403), ("outsider", 404)]
)
def test_it_lets_only_coordinators_draft(world: World, role: str, status: int) -> None:
    case = archived_case(world)
    response = client_for(world.user(role)).post(f"/api/cases/{case.pk}/library-entry/")
    assert response.status_code == status
    assert not LibraryEntry.objects.exists()


def test_it_drafts_only_archived_cases(world: World) -> None:
    case = case_flag(
        student=make_student(world.school),
        actor=world.teacher,
        reason="Absent",
        functions=["pedagogical"],
    )
    case = advance(case, world, "closing")
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    assert response.status_code == 409
    assert response.json()["stage"] == "closing"


def test_it_needs_consent_for_reuse_to_draft(world: World) -> None:
    case = archived_case(world, consent=False)
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    assert response.status_code == 409
    assert response.json()["missing_consent"] == "library"


def test_it_refuses_a_second_entry_of_one_case(world: World) -> None:
    draft = _draft(world)
    case_id = LibraryEntry.objects.get(pk=draft["id"]).case_id
    response = client_for(world.coordinator).post(f"/api/cases/{case_id}/library-entry/")
    assert response.status_code == 409
    assert response.json()["entry"] == draft["id"]


def test_it_scrubs_a_reviewers_edits_again(world: World) -> None:
    draft = _draft(world)
    response = client_for(world.psychologist).patch(
        f"/api/library/{draft['id']}/",
        {"what_worked": "Bunica Veronica Bălăceanu (veronica@example.com) a ajutat."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["narrative"]["what_worked"] == "Bunica [nume] ([email]) a ajutat."


def test_it_refuses_edits_of_fields_that_are_not_narrative(world: World) -> None:
    draft = _draft(world)
    response = client_for(world.psychologist).patch(
        f"/api/library/{draft['id']}/", {"facts": {}}, format="json"
    )
    assert response.status_code == 400
    assert "facts" in response.json()


def test_it_keeps_the_author_from_publishing_their_own_draft(world: World) -> None:
    draft = _draft(world)
    response = client_for(world.coordinator).post(f"/api/library/{draft['id']}/publish/")
    assert response.status_code == 403
    assert LibraryEntry.objects.get(pk=draft["id"]).status == "draft"


@pytest.mark.parametrize(
    "role,status",
    [
        ("psychologist", 200),
        ("teacher", 404),
        ("social", 404),
        ("admin_staff", 404),
        ("network", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_a_second_reviewer_publish(world: World, role: str, status: int) -> None:
    draft = _draft(world)
    response = client_for(world.user(role)).post(f"/api/library/{draft['id']}/publish/")
    assert response.status_code == status
    entry = LibraryEntry.objects.get(pk=draft["id"])
    assert entry.status == ("published" if status == 200 else "draft")
    if status == 200:
        assert entry.reviewer == world.user(role)
        assert entry.published_at is not None


def test_it_blocks_publishing_when_consent_was_withdrawn_meanwhile(world: World) -> None:
    draft = _draft(world)
    consent = Consent.objects.get(case__library_entries__pk=draft["id"])
    consent_withdraw(consent=consent, actor=world.coordinator, note="changed their mind")
    response = client_for(world.psychologist).post(f"/api/library/{draft['id']}/publish/")
    # Withdrawing the consent already turned the draft into a tombstone.
    assert response.status_code == 409
    assert LibraryEntry.objects.get(pk=draft["id"]).status == "withdrawn"


def test_it_keeps_a_published_entry_immutable(world: World) -> None:
    entry = published_entry(world)
    response = client_for(world.psychologist).patch(
        f"/api/library/{entry.pk}/", {"situation": "changed"}, format="json"
    )
    assert response.status_code == 409
    entry.situation = "changed"
    with pytest.raises(ImmutableEntryError):
        entry.save()
    assert LibraryEntry.objects.get(pk=entry.pk).situation != "changed"


def test_it_corrects_an_entry_with_a_new_version(world: World) -> None:
    entry = published_entry(world)
    revised = client_for(world.coordinator).post(f"/api/library/{entry.pk}/revise/")
    assert revised.status_code == 201
    body = revised.json()
    assert (body["uuid"], body["version"], body["status"]) == (str(entry.uuid), 2, "draft")
    again = client_for(world.coordinator).post(f"/api/library/{entry.pk}/revise/")
    assert again.status_code == 409
    client_for(world.coordinator).patch(
        f"/api/library/{body['id']}/", {"lessons_learned": "Corrected lesson."}, format="json"
    )
    published = client_for(world.psychologist2).post(f"/api/library/{body['id']}/publish/")
    assert published.status_code == 200
    entry.refresh_from_db()
    assert entry.status == "superseded"
    assert entry.lessons_learned != "Corrected lesson."
    search = client_for(world.teacher).get("/api/library/").json()
    assert [(r["version"], r["narrative"]["lessons_learned"]) for r in search["results"]] == [
        (2, "Corrected lesson.")
    ]


def test_it_withdraws_every_version_leaving_a_tombstone(world: World) -> None:
    entry = published_entry(world)
    response = client_for(world.coordinator).post(
        f"/api/library/{entry.pk}/withdraw/", {"reason": "family asked"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": entry.pk,
        "uuid": str(entry.uuid),
        "version": 1,
        "status": "withdrawn",
        "withdrawn_at": response.json()["withdrawn_at"],
    }
    entry.refresh_from_db()
    assert entry.situation == "" and entry.facts == {} and entry.withdrawal_reason == "family asked"
    assert client_for(world.teacher).get("/api/library/").json()["count"] == 0
    assert client_for(world.psychologist).get(f"/api/library/{entry.pk}/").json()["status"] == (
        "withdrawn"
    )


def test_it_withdraws_published_entries_when_consent_is_withdrawn(world: World) -> None:
    entry = published_entry(world)
    assert entry.consent is not None
    consent_withdraw(consent=entry.consent, actor=world.coordinator)
    entry.refresh_from_db()
    assert entry.status == "withdrawn" and entry.situation == ""


def test_it_tells_the_reviewer_what_k_anonymity_generalised(world: World) -> None:
    case = archived_case(world, programme="Coafor")
    response = client_for(world.coordinator).post(f"/api/cases/{case.pk}/library-entry/")
    body = response.json()
    # Six mechanics students of the same age and one hairdresser: the programme must go.
    assert body["facts"]["profile"]["age_band"] == "16-17"
    assert body["facts"]["profile"]["programme"] is None
    assert body["generalisation"]["actions"] == [
        "programme suppressed",
        "localities in the text generalised to their country",
    ]
    assert body["generalisation"]["locality_level"] == 1
    assert body["generalisation"]["matches"] == 7


def test_it_refuses_to_publish_when_the_register_shrank(world: World) -> None:
    draft = _draft(world)
    from casework.models import Student

    Student.objects.filter(cases__isnull=True).delete()
    response = client_for(world.psychologist).post(f"/api/library/{draft['id']}/publish/")
    assert response.status_code == 409
    assert "generalisation" in response.json()


@pytest.mark.django_db(transaction=True)
async def test_it_drafts_when_the_register_holds_students_born_after_the_case_opened(
    world: World,
) -> None:
    # Under ASGI: a StopIteration from a negative age used to hang this request for ever.
    case = await sync_to_async(archived_case)(world)
    opened = timezone.localtime(case.opened_at).date()
    await sync_to_async(make_student)(world.school, birth_date=opened + datetime.timedelta(days=1))
    token = (await sync_to_async(api_token_issue)(user=world.coordinator))[1]
    response = await asyncio.wait_for(
        AsyncClient().post(
            f"/api/cases/{case.pk}/library-entry/", headers={"Authorization": f"Token {token}"}
        ),
        timeout=30,
    )
    # The helpers above ran in asgiref's thread, on a connection of its own: close it, or
    # the test database cannot be flushed after this test.
    await sync_to_async(connections.close_all)()
    assert response.status_code == 201, response.content


def test_it_gives_the_reviewer_the_words_the_anonymiser_kept_but_doubts(world: World) -> None:
    draft = _draft(world)
    text = "Mama a cumpărat o Bicicletă de Paște; a sunat Dorinel."
    response = client_for(world.psychologist).patch(
        f"/api/library/{draft['id']}/", {"what_worked": text}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    scrubbed = body["narrative"]["what_worked"]
    assert scrubbed == "Mama a cumpărat o Bicicletă de Paște; a sunat [nume]."
    assert [scrubbed[d["start"] : d["end"]] for d in body["doubts"]["what_worked"]] == ["Bicicletă"]
    published = client_for(world.psychologist).post(f"/api/library/{draft['id']}/publish/")
    assert published.status_code == 200
    public = client_for(world.teacher).get(f"/api/library/{draft['id']}/").json()
    assert "doubts" not in public
