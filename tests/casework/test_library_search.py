"""Searching published entries: words with or without diacritics, filters, sources."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.models import LibraryEntry
from casework.services.library import _search_text, refresh_search_vector
from tests.conftest import client_for, requires_postgres
from tests.factories import World

pytestmark = pytest.mark.django_db


def _entry(
    text: str, tags: list[str], *, origin: str = "own", status: str = "published"
) -> LibraryEntry:
    entry = LibraryEntry(
        situation=text,
        title="Caz",
        tags=tags,
        facts={"functions": [t.split(":")[1] for t in tags if t.startswith("function:")]},
        origin=origin,
        status=status,
        published_at=timezone.now(),
    )
    entry.search_text = _search_text(entry)
    entry.save()
    refresh_search_vector(LibraryEntry.objects.filter(pk=entry.pk))
    return entry


@pytest.fixture
def entries(db: None) -> dict[str, LibraryEntry]:
    return {
        "absent": _entry(
            "Absenteismul a scăzut după consilierea săptămânală cu familia.",
            ["function:pedagogical", "outcome:all", "risk:attendance", "intervention:counselling"],
        ),
        "bursa": _entry(
            "Bursa socială a rezolvat transportul; școala a ajutat cu rechizite.",
            ["function:socio_economic", "outcome:partly", "risk:poverty", "intervention:bursary"],
        ),
        "english": _entry(
            "Morning check-ins with a trusted adult worked better than detentions.",
            ["function:pedagogical", "outcome:none", "risk:lateness"],
        ),
        "draft": _entry("Absenteism în draft.", ["function:pedagogical"], status="draft"),
        "partner": _entry("Absenteism la partener.", ["function:pedagogical"], origin="partner"),
    }


def _ids(world: World, query: str) -> set[int]:
    response = client_for(world.teacher).get(f"/api/library/{query}")
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("q", ["școala", "SCOALA", "Școală", "bursa sociala", "bursă socială"])
def test_it_finds_words_with_or_without_diacritics(
    world: World, entries: dict[str, LibraryEntry], q: str
) -> None:
    assert _ids(world, f"?q={q}") == {entries["bursa"].pk}


def test_it_finds_inflected_forms_by_their_stem(
    world: World, entries: dict[str, LibraryEntry]
) -> None:
    assert _ids(world, "?q=absenteism") == {entries["absent"].pk}
    assert _ids(world, "?q=consilier") == {entries["absent"].pk}
    assert _ids(world, "?q=consilierul") == set()


def test_it_needs_every_word(world: World, entries: dict[str, LibraryEntry]) -> None:
    assert _ids(world, "?q=bursa transport") == {entries["bursa"].pk}
    assert _ids(world, "?q=bursa detentions") == set()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?function=pedagogical", {"absent", "english"}),
        ("?risk=poverty", {"bursa"}),
        ("?intervention=counselling", {"absent"}),
        ("?outcome=none", {"english"}),
        ("?function=pedagogical&outcome=all", {"absent"}),
        ("?q=worked&function=pedagogical", {"english"}),
        ("?source=partner", {"partner"}),
        ("?source=all&q=absenteism", {"absent", "partner"}),
    ],
)
def test_it_filters_by_tag_and_source(
    world: World, entries: dict[str, LibraryEntry], query: str, expected: set[str]
) -> None:
    assert _ids(world, query) == {entries[name].pk for name in expected}


def test_it_lets_every_staff_account_search(world: World, entries: dict[str, LibraryEntry]) -> None:
    for role in ("teacher", "network", "form_tutor", "outsider"):
        assert client_for(world.user(role)).get("/api/library/").json()["count"] == 3


def test_it_refuses_an_unknown_source(world: World, entries: dict[str, LibraryEntry]) -> None:
    response = client_for(world.teacher).get("/api/library/?source=everything")
    assert response.status_code == 400
    assert "source" in response.json()


@requires_postgres
def test_it_searches_a_tsvector_with_unaccent_on_postgres(
    world: World, entries: dict[str, LibraryEntry]
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent('Ștefan Țurcanu școală')")
        assert cursor.fetchone()[0] == "Stefan Turcanu scoala"
    entry = LibraryEntry.objects.get(pk=entries["bursa"].pk)
    assert entry.search_vector is not None
    assert _ids(world, "?q=Transportul") == {entries["bursa"].pk}


def test_it_caps_the_count_of_a_common_word(
    world: World, entries: dict[str, LibraryEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.api import library

    monkeypatch.setattr(library, "COUNT_CAP", 2)
    body = client_for(world.teacher).get("/api/library/?page_size=1").json()
    assert (body["count"], body["count_capped"]) == (2, True)
    assert body["next"] is not None
    monkeypatch.setattr(library, "COUNT_CAP", 10)
    body = client_for(world.teacher).get("/api/library/").json()
    assert (body["count"], body["count_capped"]) == (3, False)
