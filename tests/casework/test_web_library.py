"""The library on the web: search with filters, an entry, drafts with highlighted replacements,
the two-person rule, corrections and withdrawal; errors as the API gives them."""

from __future__ import annotations

import pytest
from django.test import Client

from casework.models import LibraryEntry
from tests.casework.library_support import archived_case, fill_register, published_entry
from tests.factories import World
from workflows.services import library_entry_draft

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def register(world: World) -> None:
    fill_register(world.school, 12)


def test_it_searches_published_entries_with_filters(world: World, register: None) -> None:
    entry = published_entry(world)
    client = _client(world.form_tutor)
    page = client.get("/library/?q=workshop").content.decode()
    assert f'data-entry="{entry.pk}"' in page
    assert (
        f'data-entry="{entry.pk}"'
        in client.get("/library/?function=socio_economic").content.decode()
    )
    assert (
        f'data-entry="{entry.pk}"'
        not in client.get("/library/?function=administrative").content.decode()
    )
    assert f'data-entry="{entry.pk}"' not in client.get("/library/?q=zzzunknown").content.decode()


def test_it_keeps_drafts_out_of_search_and_away_from_other_readers(
    world: World, register: None
) -> None:
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    assert (
        f'data-entry="{draft.pk}"'
        not in _client(world.psychologist).get("/library/").content.decode()
    )
    assert _client(world.teacher).get(f"/library/{draft.pk}/").status_code == 404
    assert _client(world.psychologist).get(f"/library/{draft.pk}/").status_code == 200


def test_it_highlights_every_replacement_for_the_reviewer(world: World, register: None) -> None:
    case = archived_case(world)
    draft = library_entry_draft(case=case, actor=world.coordinator)
    edited = _client(world.psychologist).post(
        f"/library/{draft.pk}/edit/",
        {"title": draft.title, "situation": f"{case.student.first_name} called 0722 123 456."},
    )
    assert edited.status_code == 302
    page = _client(world.psychologist).get(f"/library/{draft.pk}/").content.decode()
    assert page.count('<mark class="ao-replacement"') >= 2
    assert "0722" not in page and case.student.last_name not in page


def test_it_keeps_the_author_from_publishing(world: World, register: None) -> None:
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    author = _client(world.coordinator)
    assert "data-publish" not in author.get(f"/library/{draft.pk}/").content.decode()
    assert author.post(f"/library/{draft.pk}/publish/").status_code == 403
    assert LibraryEntry.objects.get(pk=draft.pk).status == "draft"
    reviewer = _client(world.psychologist)
    assert "data-publish" in reviewer.get(f"/library/{draft.pk}/").content.decode()
    assert reviewer.post(f"/library/{draft.pk}/publish/").status_code == 302
    assert LibraryEntry.objects.get(pk=draft.pk).status == "published"


def test_it_puts_edit_errors_next_to_the_fields(world: World, register: None) -> None:
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    response = _client(world.psychologist).post(
        f"/library/{draft.pk}/edit/", {"title": "", "situation": "x"}
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()


def test_it_drafts_from_the_case_page_only_with_consent(world: World, register: None) -> None:
    without = archived_case(world, consent=False)
    page = _client(world.coordinator).get(f"/cases/{without.pk}/").content.decode()
    # Without consent the page asks for it instead of offering a draft the service refuses.
    assert f'action="/library/draft/{without.pk}/"' not in page
    assert "data-library-consent" in page
    response = _client(world.coordinator).post(f"/library/draft/{without.pk}/")
    assert response.status_code == 409
    assert not LibraryEntry.objects.exists()
    case = archived_case(world)
    assert _client(world.psychologist).post(f"/library/draft/{case.pk}/").status_code == 403
    response = _client(world.coordinator).post(f"/library/draft/{case.pk}/")
    entry = LibraryEntry.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == f"/library/{entry.pk}/"


def test_it_corrects_and_withdraws(world: World, register: None) -> None:
    entry = published_entry(world)
    client = _client(world.coordinator)
    response = client.post(f"/library/{entry.pk}/revise/")
    assert response.status_code == 302
    correction = LibraryEntry.objects.get(uuid=entry.uuid, version=2)
    assert response["Location"] == f"/library/{correction.pk}/"
    assert client.post(f"/library/{entry.pk}/withdraw/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/library/{entry.pk}/withdraw/", {"reason": "Asked by family"}).status_code
        == 302
    )
    assert set(LibraryEntry.objects.filter(uuid=entry.uuid).values_list("status", flat=True)) == {
        "withdrawn"
    }
    assert _client(world.psychologist).post(f"/library/{entry.pk}/revise/").status_code == 403


def test_it_underlines_for_the_reviewer_the_words_the_anonymiser_doubts(
    world: World, register: None
) -> None:
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    reviewer = _client(world.psychologist)
    edited = reviewer.post(
        f"/library/{draft.pk}/edit/",
        {"title": draft.title, "situation": "A primit o Bicicletă nouă de la Crăciun."},
    )
    assert edited.status_code == 302
    page = reviewer.get(f"/library/{draft.pk}/").content.decode()
    assert '<mark class="ao-doubt" data-kind="doubt"' in page
    assert ">Bicicletă</mark>" in page and ">Crăciun</mark>" not in page
    assert 'data-doubts="1"' in page
    # The author sees the doubts too; a published entry shows none.
    reviewer.post(f"/library/{draft.pk}/publish/")
    assert "ao-doubt" not in _client(world.form_tutor).get(f"/library/{draft.pk}/").content.decode()


def test_it_heads_an_entry_in_the_readers_language(world: World, register: None) -> None:
    entry = published_entry(world)
    english = _client(world.psychologist).get(f"/library/{entry.pk}/").content.decode()
    assert ">Situation</h2>" in english and "Situația" not in english
    romanian = Client()
    romanian.force_login(world.psychologist)
    page = romanian.get(f"/library/{entry.pk}/").content.decode()
    assert ">Situation</h2>" not in page


def test_it_names_the_duration_and_the_generalisation_in_romanian(
    world: World, register: None
) -> None:
    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    draft.generalisation = {
        **draft.generalisation,
        "actions": ["age suppressed", "programme generalised to the sector services"],
    }
    draft.facts = {**draft.facts, "duration": {"band": "<1m", "weeks_by_stage": {}}}
    draft.save()
    client = Client()
    client.force_login(world.psychologist)
    page = client.get(f"/library/{draft.pk}/").content.decode()
    assert "age suppressed" not in page and "generalised" not in page
    assert "&lt;1m" not in page and "sub o lună" in page
    # The sector is stored as its code; the reviewer reads it in words.
    assert "domeniul servicii" in page and "services" not in page
