"""Reads of the case library: search over published entries, and the one fetch helper per
reader — staff (drafts only for their office's reviewers) and partner tokens (published only).

Search is PostgreSQL full-text search over a stored ``tsvector`` of the folded text (so it is
diacritic-insensitive: "Stefan" finds "Ștefan" and back), with prefix matching so Romanian
inflections match their stem ("absent" finds "absenteism", "absențele"). Other databases get
the plain fallback: every word must occur in the folded ``search_text``.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Func, Q, QuerySet, Value
from django.utils.translation import gettext as _

from casework import policies, roles
from casework.anonymise import doubts
from casework.anonymise.text import fold
from casework.errors import Invalid, NotFound
from casework.models import LibraryEntry, User
from casework.models.library import NARRATIVE_FIELDS
from casework.selectors import cases_visible_to, pk_or_not_found

Status = LibraryEntry.Status
SOURCES = ("own", "partner", "all")
FILTERS = {
    "risk": "risk",
    "function": "function",
    "intervention": "intervention",
    "outcome": "outcome",
}
_WORDS = re.compile(r"[a-z0-9]+")
MAX_WORDS = 8


def library_entry_doubts(entry: LibraryEntry) -> dict[str, list[dict[str, int]]]:
    """For a draft's reviewer: per narrative field, the capitalised words the scrubber kept and
    could not explain (a name, a place or a firm no list knew?). Published entries have none."""
    if entry.status != Status.DRAFT:
        return {}
    found = {}
    for name in NARRATIVE_FIELDS:
        spans = [d.as_dict() for d in doubts(getattr(entry, name) or "", entry.language)]
        if spans:
            found[name] = spans
    return found


def search_words(q: str) -> list[str]:
    return _WORDS.findall(fold(q or ""))[:MAX_WORDS]


def _has_tag(queryset: QuerySet[LibraryEntry], tag: str) -> QuerySet[LibraryEntry]:
    if connection.vendor == "postgresql":
        return queryset.filter(tags__contains=[tag])
    # SQLite has no JSON containment: match the quoted element in the stored JSON text.
    return queryset.filter(tags__icontains=f'"{tag}"')


def library_search(
    *,
    q: str = "",
    source: str = "own",
    risk: str = "",
    function: str = "",
    intervention: str = "",
    outcome: str = "",
) -> QuerySet[LibraryEntry]:
    """Published entries matching ``q`` and every filter; newest first, best match first."""
    if source not in SOURCES:
        raise Invalid(
            {"source": _("Expected one of %(choices)s.") % {"choices": ", ".join(SOURCES)}}
        )
    queryset = LibraryEntry.objects.filter(status=Status.PUBLISHED)
    if source != "all":
        queryset = queryset.filter(origin=source)
    for name, value in (
        ("risk", risk),
        ("function", function),
        ("intervention", intervention),
        ("outcome", outcome),
    ):
        if value:
            queryset = _has_tag(queryset, f"{FILTERS[name]}:{value}")
    words = search_words(q)
    if not words:
        return queryset.order_by("-published_at", "-id")
    if connection.vendor == "postgresql":
        query = SearchQuery(
            Func(Value(" & ".join(f"{w}:*" for w in words)), function="unaccent"),
            search_type="raw",
            config="simple",
        )
        # Newest first, like the unfiltered list: ranking every match would read every
        # matching vector, which is what costs time on a common word (docs/PERFORMANCE.md).
        return queryset.filter(search_vector=query).order_by("-published_at", "-id")
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.order_by("-published_at", "-id")


def library_entry_get_for_user(user: User, pk: Any) -> LibraryEntry:
    """Any published, superseded or withdrawn entry; drafts only for the office's reviewers."""
    entry = _entry(pk)
    if entry.status == Status.DRAFT and not library_drafts_for(user).filter(pk=entry.pk).exists():
        raise NotFound()
    return entry


def library_entry_get_for_partner(pk: Any) -> LibraryEntry:
    """Partners read our own published entries, their superseded versions and tombstones,
    nothing else. Superseded versions follow one rule for every reader: readable by id, marked
    ``superseded``; search and export give only the newest (docs/LIBRARY.md)."""
    entry = _entry(pk)
    if entry.origin != LibraryEntry.Origin.OWN or entry.status not in (
        Status.PUBLISHED,
        Status.SUPERSEDED,
        Status.WITHDRAWN,
    ):
        raise NotFound()
    if entry.status == Status.WITHDRAWN and entry.published_at is None:
        raise NotFound()
    return entry


def _entry(pk: Any) -> LibraryEntry:
    pk = pk_or_not_found(pk)
    entry = LibraryEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def library_drafts_for(user: User) -> QuerySet[LibraryEntry]:
    """Drafts the user may review: their offices' (as coordinator or group 2 member). A draft
    is not yet checked for identifiers, so it also follows its case: no case you cannot see."""
    offices = [
        m.office_id
        for m in roles.memberships(user)
        if policies.can_review_library_entry(user, m.office_id)
    ]
    visible = cases_visible_to(user).values("pk")
    return (
        LibraryEntry.objects.filter(status=Status.DRAFT, office_id__in=offices)
        .filter(Q(case__isnull=True) | Q(case__in=visible))
        .order_by("-updated_at", "-id")
    )
