"""The case library on the web: search with filters, one entry, drafts for reviewers (with
every replacement highlighted), editing, the two-person publishing, corrections and withdrawal.

Reads go through ``casework.library_selectors`` and writes through ``casework.services.library``
— the same functions as ``/api/library/`` — so the scrubber, the k-anonymity check and the
two-person rule hold whichever front is used.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import library_selectors as library
from casework import policies, stored_text
from casework.anonymise.generalise import FAMILY_LABELS
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, LibraryEntry
from casework.models.library import NARRATIVE_FIELDS
from casework.roles import actor_of
from casework.services import library as services
from casework.services.audit import audit_list, audit_record
from casework.services.library_facts import (
    FUNCTION_LABELS,
    OUTCOME_LABELS,
    STATUS_LABELS,
    label,
)
from casework.web.errors import conflict_page, domain_errors, form_write
from casework.web.library_forms import NarrativeForm, SearchForm, WithdrawForm

PAGE_SIZE = 20
# Lazy: the headings follow the reader's language, not the one the module was imported in.
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "situation": gettext_lazy("Situation"),
    "intervention": gettext_lazy("Intervention"),
    "what_worked": gettext_lazy("What worked"),
    "lessons_learned": gettext_lazy("Lessons learned"),
    "outcome": gettext_lazy("Outcome"),
}
DURATION_LABELS = {
    "<1m": gettext_lazy("under a month"),
    "1-3m": gettext_lazy("one to three months"),
    "3-6m": gettext_lazy("three to six months"),
    "6-12m": gettext_lazy("six months to a year"),
    "12m+": gettext_lazy("over a year"),
}


def _reader_language() -> str:
    """The facts are codes: they are named in the reader's language, like the headings."""
    return (get_language() or "ro").split("-")[0]


@require_GET
@domain_errors
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else SearchForm().filters()
    try:
        page_number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page_number = 1
    start = (page_number - 1) * PAGE_SIZE
    # No total count: counting every match of a common word costs more than it tells
    # (docs/LIBRARY.md); one more row than shown says whether there is a next page.
    rows = list(
        library.library_search(**filters).select_related("partner")[start : start + PAGE_SIZE + 1]
    )
    entries = rows[:PAGE_SIZE]
    audit_list(
        actor=actor_of(request),
        object_type="libraryentry",
        q=filters["q"],
        ids=[e.pk for e in entries],
    )
    query = urlencode(
        {k: v for k, v in filters.items() if v and not (k == "source" and v == "own")}
    )
    return render(
        request,
        "casework/library_search.html",
        {
            "form": form if form.is_bound else SearchForm(),
            "entries": [_summary(e, request) for e in entries],
            "page_number": page_number,
            "has_next": len(rows) > PAGE_SIZE,
            "query": query,
            "searched": any(v for k, v in filters.items() if k != "source"),
            "drafts_visible": bool(library.library_drafts_for(actor_of(request))[:1]),
        },
    )


def _summary(entry: LibraryEntry, request: HttpRequest) -> dict[str, Any]:
    language = _reader_language()
    facts = entry.facts or {}
    return {
        "entry": entry,
        "functions": [label(FUNCTION_LABELS, language, f) for f in facts.get("functions", [])],
        "outcome": label(
            OUTCOME_LABELS, language, (facts.get("outcome") or {}).get("objectives_met", "")
        )
        if facts.get("outcome")
        else "",
        "excerpt": (entry.situation or "")[:280],
    }


@require_GET
def drafts(request: HttpRequest) -> HttpResponse:
    rows = list(library.library_drafts_for(actor_of(request)).select_related("author")[:100])
    return render(request, "casework/library_drafts.html", {"drafts": rows})


def _segments(text: str, spans: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """The text cut at its placeholders: (piece, kind) with kind None for the plain parts."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for span in sorted(spans, key=lambda s: int(s["start"])):
        start, end = int(span["start"]), int(span["end"])
        if start < position or end > len(text):
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], str(span.get("kind", ""))))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def _facts(entry: LibraryEntry) -> list[tuple[str, str]]:
    facts = entry.facts or {}
    language = _reader_language()
    rows: list[tuple[str, str]] = []
    profile = facts.get("profile") or {}
    if profile.get("age_band"):
        rows.append((_("Age"), str(profile["age_band"])))
    if profile.get("programme"):
        rows.append((_("Programme"), label(FAMILY_LABELS, language, profile["programme"])))
    if profile.get("region"):
        rows.append((_("Region"), str(profile["region"])))
    period = facts.get("period") or {}
    if period.get("opened"):
        opened = period["opened"]
        term = _("term %(n)s") % {"n": opened.get("term", "")}
        rows.append((_("Opened"), f"{opened.get('school_year', '')}, {term}"))
    if facts.get("functions"):
        rows.append(
            (
                _("Functions"),
                ", ".join(label(FUNCTION_LABELS, language, f) for f in facts["functions"]),
            )
        )
    if (facts.get("duration") or {}).get("band"):
        band = facts["duration"]["band"]
        rows.append((_("Duration"), str(DURATION_LABELS.get(band, band))))
    objectives = facts.get("objectives") or {}
    if objectives.get("total"):
        by_status = ", ".join(
            f"{label(STATUS_LABELS, language, k)}: {v}"
            for k, v in (objectives.get("by_status") or {}).items()
        )
        rows.append((_("Objectives"), f"{objectives['total']} ({by_status})"))
    if (facts.get("outcome") or {}).get("objectives_met"):
        rows.append(
            (_("Outcome"), label(OUTCOME_LABELS, language, facts["outcome"]["objectives_met"]))
        )
    return rows


def _entry_context(request: HttpRequest, entry: LibraryEntry, **extra: Any) -> dict[str, Any]:
    user = actor_of(request)
    reviewer = policies.can_review_library_entry(user, entry.office_id)
    is_draft = entry.status == LibraryEntry.Status.DRAFT
    replacements = dict(entry.replacements or {})
    doubted = library.library_entry_doubts(entry) if reviewer else {}
    for name, spans in doubted.items():
        replacements[name] = [*replacements.get(name, []), *({**d, "kind": "doubt"} for d in spans)]
    fields = [
        {
            "name": name,
            "label": FIELD_LABELS[name],
            "segments": _segments(getattr(entry, name) or "", replacements.get(name, []))
            if reviewer
            else [(getattr(entry, name) or "", None)],
        }
        for name in NARRATIVE_FIELDS
        if name != "title"
    ]
    manager = policies.can_manage_library_entry(user, entry.office_id)
    return {
        "entry": entry,
        "fields": fields,
        "title_segments": _segments(entry.title or "", replacements.get("title", []))
        if reviewer
        else [(entry.title, None)],
        "facts": _facts(entry),
        "reviewer": reviewer,
        "is_draft": is_draft,
        "replacement_count": sum(len(v) for v in (entry.replacements or {}).values())
        if reviewer
        else 0,
        "doubt_count": sum(len(v) for v in doubted.values()),
        "may_publish": is_draft and reviewer and entry.author_id != user.pk,
        "is_author": entry.author_id == user.pk,
        "edit_form": (
            extra.get("edit_form")
            or NarrativeForm(initial={n: getattr(entry, n) for n in NARRATIVE_FIELDS})
        )
        if is_draft and reviewer
        else None,
        "may_revise": manager and entry.status == LibraryEntry.Status.PUBLISHED,
        "withdraw_form": (extra.get("withdraw_form") or WithdrawForm())
        if manager and entry.status != LibraryEntry.Status.WITHDRAWN and entry.origin == "own"
        else None,
        "generalisation": _generalisation(entry) if reviewer else None,
    }


def _generalisation(entry: LibraryEntry) -> dict[str, Any]:
    """What the k-anonymity check did, in the reader's language (stored in English)."""
    found = dict(entry.generalisation or {})
    found["actions"] = [stored_text.shown(a) for a in found.get("actions") or []]
    return found


@require_GET
@domain_errors
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = library.library_entry_get_for_user(actor_of(request), pk)
    if found.status == LibraryEntry.Status.DRAFT:
        audit_record(
            actor=actor_of(request),
            action=AuditEvent.Action.READ,
            obj=found,
            object_type="libraryentry",
            data={"uuid": str(found.uuid)},
        )
    return render(request, "casework/library_entry.html", _entry_context(request, found))


@require_POST
@domain_errors
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = library.library_entry_get_for_user(actor_of(request), pk)
    policies.require_review_library_entry(actor_of(request), found.office_id)
    form = NarrativeForm(request.POST)
    try:
        written = form_write(
            form,
            lambda data: services.library_entry_update(
                entry=found, actor=actor_of(request), **data
            ),
        )
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("library:entry", args=[pk]))
    if written:
        messages.success(request, _("Draft saved; the texts were anonymised again."))
        return HttpResponseRedirect(reverse("library:entry", args=[pk]))
    context = _entry_context(request, found, edit_form=form)
    return render(request, "casework/library_entry.html", context, status=400)


@require_POST
@domain_errors
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    found = library.library_entry_get_for_user(actor_of(request), pk)
    draft = services.library_entry_revise(entry=found, actor=actor_of(request))
    messages.success(request, _("A correction was drafted; the published version stays as it is."))
    return HttpResponseRedirect(reverse("library:entry", args=[draft.pk]))


@require_POST
@domain_errors
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = library.library_entry_get_for_user(actor_of(request), pk)
    policies.require_manage_library_entry(actor_of(request), found.office_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.library_entry_withdraw(
                entry=found, actor=actor_of(request), reason=form.cleaned_data["reason"]
            )
        except Invalid as invalid:
            form.add_error("reason", " ".join(m for v in invalid.fields.values() for m in v))
        else:
            messages.info(request, _("Withdrawn: every version is now a tombstone."))
            return HttpResponseRedirect(reverse("library:entry", args=[pk]))
    context = _entry_context(request, found, withdraw_form=form)
    return render(request, "casework/library_entry.html", context, status=400)
