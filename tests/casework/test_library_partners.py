"""Partner tokens: they read published library entries and nothing else, on every API URL."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from casework.models import LibraryEntry, PartnerOrganisation, PartnerToken
from casework.services.partners import partner_token_issue, partner_token_revoke
from tests.casework.library_support import archived_case, fill_register, published_entry
from tests.factories import World

pytestmark = pytest.mark.django_db

# Answer 200 to a partner: the library's reads. Public to everyone (no token needed at all):
# the token and schema/docs endpoints, which give a partner nothing an anonymous caller lacks.
PARTNER_READS = {"library/", "library/<int:pk>/", "library/export/"}
PUBLIC = {"auth/token/", "schema/", "docs/"}


@pytest.fixture
def partner_key(db: None) -> str:
    partner = PartnerOrganisation.objects.create(code="evbb", name="Partner college")
    return partner_token_issue(partner=partner)[1]


def _partner(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Partner {key}")
    return client


def _api_routes() -> list[str]:
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted({r[len("api/") :] for r in routes if r.startswith("api/")})


def _concrete(route: str, ids: dict[str, int]) -> str:
    path = route.replace("<int:consent_pk>", str(ids["consent"])).replace("<str:name>", "share")
    return "/api/" + path.replace(
        "<int:pk>", str(ids["library" if route.startswith("library") else "case"])
    )


def test_it_reads_published_entries_with_a_partner_token(world: World, partner_key: str) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    client = _partner(partner_key)
    listing = client.get("/api/library/?q=workshop")
    assert listing.status_code == 200
    assert [r["uuid"] for r in listing.json()["results"]] == [str(entry.uuid)]
    assert "case" not in listing.json()["results"][0]
    assert client.get(f"/api/library/{entry.pk}/").status_code == 200
    export = client.get("/api/library/export/").json()
    assert [e["uuid"] for e in export["entries"]] == [str(entry.uuid)]


def test_it_hides_drafts_and_partner_imports_from_partners(world: World, partner_key: str) -> None:
    fill_register(world.school, 6)
    from workflows.services import library_entry_draft

    draft = library_entry_draft(case=archived_case(world), actor=world.coordinator)
    imported = LibraryEntry.objects.create(
        origin="partner", status="published", partner=PartnerOrganisation.objects.get(code="evbb")
    )
    client = _partner(partner_key)
    assert client.get(f"/api/library/{draft.pk}/").status_code == 404
    assert client.get(f"/api/library/{imported.pk}/").status_code == 404
    assert client.get("/api/library/?source=all").json()["count"] == 0


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_it_lets_a_partner_token_do_nothing_else_anywhere(
    world: World, partner_key: str, method: str
) -> None:
    fill_register(world.school, 6)
    entry = published_entry(world)
    assert entry.case is not None and entry.consent is not None
    ids = {"case": entry.case.pk, "library": entry.pk, "consent": entry.consent.pk}
    routes = _api_routes()
    assert {"library/", "cases/<int:pk>/library-entry/", "library/<int:pk>/publish/"} <= set(routes)
    for route in routes:
        if re.search(r"\(\?P|<(?!int:pk>|int:consent_pk>|str:name>)", route):
            continue
        path = _concrete(route, ids)
        as_partner = getattr(_partner(partner_key), method)(path, {}, format="json")
        anonymous = getattr(APIClient(), method)(path, {}, format="json")
        if route in PARTNER_READS and method == "get":
            assert as_partner.status_code == 200, (route, as_partner.status_code)
        elif route in PUBLIC:
            assert as_partner.status_code == anonymous.status_code, route
        else:
            assert as_partner.status_code in (401, 403, 405), (
                route,
                method,
                as_partner.status_code,
            )
            if as_partner.status_code == 405:
                assert anonymous.status_code in (401, 403, 405), route
    assert LibraryEntry.objects.get(pk=entry.pk).status == "published"


def test_it_refuses_revoked_and_unknown_keys(world: World, partner_key: str) -> None:
    token = PartnerToken.objects.get()
    partner_token_revoke(token=token)
    assert _partner(partner_key).get("/api/library/").status_code == 401
    assert _partner("aop_nonsense").get("/api/library/").status_code == 401


def test_it_stores_only_a_hash_of_the_key(partner_key: str) -> None:
    token = PartnerToken.objects.get()
    assert partner_key not in (token.key_hash, token.prefix)
    assert partner_key.startswith(token.prefix)


def test_it_issues_a_key_once_from_the_command(db: None) -> None:
    out = io.StringIO()
    call_command("library_partner", "add", "dayana", "--name", "DAYANA", stdout=out)
    call_command("library_partner", "token", "dayana", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert _partner(key).get("/api/library/").status_code == 200
    listing = io.StringIO()
    call_command("library_partner", "list", stdout=listing)
    assert key not in listing.getvalue()


def test_it_applies_one_rule_to_superseded_versions_for_staff_and_partners(
    world: World, partner_key: str
) -> None:
    """A superseded version is readable by its id, marked superseded, by every reader; search
    and export give the newest version only."""
    from casework.services.library import library_entry_mark_published, library_entry_revise

    fill_register(world.school, 6)
    entry = published_entry(world)
    draft = library_entry_revise(entry=entry, actor=world.coordinator)
    library_entry_mark_published(entry=draft, actor=world.psychologist)
    for client in (_partner(partner_key), _staff(world)):
        old = client.get(f"/api/library/{entry.pk}/")
        assert (old.status_code, old.json()["status"]) == (200, "superseded")
        assert [r["version"] for r in client.get("/api/library/").json()["results"]] == [2]
        export = client.get("/api/library/export/").json()
        assert [e["version"] for e in export["entries"]] == [2]


def _staff(world: World) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=world.teacher)
    return client
