"""The scrubber: every detector over the text, overlaps merged, placeholders in.

What is removed is never kept: a replacement records where its placeholder sits in the *new*
text and what kind of identifier it stood for, so a reviewer sees every replacement highlighted
without the library ever holding the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casework.anonymise import lexicon, patterns, places
from casework.anonymise.detect import unknown_name_spans
from casework.anonymise.doubts import Doubt, doubts
from casework.anonymise.known import (
    KnownIdentifiers,
    birth_date_spans,
    known_name_spans,
    known_phrase_spans,
)
from casework.anonymise.names import dictionary
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import (
    COUNTRY_NAMES,
    LOCALITY_REGION,
    PLACEHOLDER_RE,
    Kind,
    date_placeholder,
    kind_of_placeholder,
    placeholder,
    town_placeholder,
)
from casework.anonymise.text import fold

_PEOPLE = (Kind.STUDENT, Kind.PERSON)
# Between two parts of one name: spaces, a hyphen, or initials ("Ana-Maria", "A. Popescu").
_NAME_GLUE = re.compile(r"[ \t]*(?:[-‐‑][ \t]*)?(?:(?:[A-ZĂÂÎȘȚŞŢ]\.[ \t]*)+)?")
_INITIALS_BEFORE = re.compile(r"(?:\b[A-ZĂÂÎȘȚŞŢ]\.[ \t]?){1,3}[ \t]*$|\b[A-Z]['’]$")
_INITIALS_AFTER = re.compile(r"^[ \t]+[A-ZĂÂÎȘȚŞŢ]\.(?:[ \t]?[A-ZĂÂÎȘȚŞŢ]\.)*")


@dataclass(frozen=True)
class Replacement:
    """A placeholder in the scrubbed text: ``text[start:end]`` stands for a ``kind``."""

    start: int
    end: int
    kind: str

    def as_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@dataclass
class ScrubResult:
    text: str
    replacements: list[Replacement] = field(default_factory=list)
    # Replacements made by this pass (placeholders already in the text are not counted).
    new: int = 0
    # Where, in the text given, this pass removed something: kept in memory only (for the
    # corpus test's recall), never stored.
    removed: list[tuple[int, int, str]] = field(default_factory=list)
    # Capitalised words kept that the scrubber cannot explain, in the new text: the reviewer's.
    doubts: list[Doubt] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.replacements:
            counts[r.kind] = counts.get(r.kind, 0) + 1
        return counts


def _candidates(text: str, folded: str, known: KnownIdentifiers, language: str) -> list[Span]:
    spans: list[Span] = []
    spans += patterns.emails(folded)
    spans += patterns.bank_accounts(folded)
    spans += patterns.national_ids(folded)
    spans += patterns.phones(folded)
    spans += patterns.dates(folded)
    found_addresses = list(patterns.addresses(folded, text))
    spans += found_addresses
    spans += places.after_address_spans(text, found_addresses)
    spans += patterns.student_codes(folded, text)
    spans += patterns.class_names(folded, text)
    spans += known_phrase_spans(text, folded, known)
    spans += birth_date_spans(folded, known)
    spans += known_name_spans(text, folded, known)
    anycase, _ = known.name_tokens()
    extra = known.extra_dictionary_names() | set(anycase)
    spans += places.school_spans(text)
    spans += places.organisation_spans(text)
    spans += places.body_spans(text, folded, known.region)
    spans += places.locality_spans(text, folded, known.region)
    spans += places.county_code_spans(text)
    spans += places.area_named_spans(text, folded)
    spans += places.village_suffix_spans(text)
    spans += unknown_name_spans(text, folded, dictionary(), extra, romanian=language != "en")
    spans += patterns.long_numbers(folded)
    spans = [s for s in spans if not (s.kind in _PEOPLE and _after_saint(folded, s.start))]
    # A second look: places by the places, people and addresses found around them.
    return spans + list(places.beside_place_spans(text, spans))


_SAINT = re.compile(r"\b(?:sfantul|sfanta|sf\.|sfintii|sfantului|sfintei)\s*$")


def _after_saint(folded: str, start: int) -> bool:
    """ "de Sfânta Maria" is a feast, whoever else is called Maria."""
    return bool(_SAINT.search(folded, max(0, start - 12), start))


def _merge_overlaps(spans: list[Span]) -> list[Span]:
    """Union overlapping spans (recall first: nothing of either is left), best kind wins."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = (
                last
                if (last.priority, -(last.end - last.start))
                <= (
                    span.priority,
                    -(span.end - span.start),
                )
                else span
            )
            merged[-1] = Span(
                last.start,
                max(last.end, span.end),
                best.kind,
                best.priority,
                best.meta,
                best.label or (last.label if last.kind == best.kind else span.label),
            )
        else:
            merged.append(span)
    return merged


def _whose(span: Span) -> dict[str, int | None]:
    if span.kind == Kind.STUDENT:
        return {"student": 1, "other": 0}
    return {"student": span.meta.get("student", 0), "other": span.meta.get("other", 1)}


def _join_names(text: str, spans: list[Span]) -> list[Span]:
    """One placeholder per person: join the parts of a name and the initials around it.

    The joined name is the student's ([elev]) when every part is one of the student's names and
    at least one part is the student's alone ("Andrei Popescu" with a mother Maria Popescu);
    otherwise it is someone else's ([nume]).
    """
    out: list[Span] = []
    for span in spans:
        if span.kind in _PEOPLE:
            start, end = span.start, span.end
            before = _INITIALS_BEFORE.search(text[max(0, start - 12) : start])
            if before:
                start -= len(before.group())
            after = _INITIALS_AFTER.match(text[end : end + 12])
            if after:
                end += len(after.group())
            span = Span(start, end, span.kind, span.priority, _whose(span))
            previous = out[-1] if out else None
            if (
                previous is not None
                and previous.kind in _PEOPLE
                and _NAME_GLUE.fullmatch(text[previous.end : span.start])
            ):
                whose: dict[str, int | None] = {
                    "student": int(bool(previous.meta["student"] and span.meta["student"])),
                    "other": int(bool(previous.meta["other"] and span.meta["other"])),
                }
                kind = Kind.STUDENT if whose["student"] and not whose["other"] else Kind.PERSON
                out[-1] = Span(previous.start, span.end, kind, previous.priority, whose)
                continue
        out.append(span)
    return out


def _outside(spans: list[Span], protected: list[tuple[int, int]]) -> list[Span]:
    return [
        s for s in spans if not any(s.start < end and start < s.end for start, end in protected)
    ]


def _text_for(span: Span, known: KnownIdentifiers, language: str, locality_level: int) -> str:
    if span.kind == Kind.TOWN:
        return town_placeholder(language, span.label, locality_level)
    if span.kind == Kind.DATE:
        meta = span.meta
        day, month, year = meta.get("day"), meta.get("month"), meta.get("year")
        for born in known.birth_dates:
            same = month == born.month and day in (None, born.day) and year in (None, born.year)
            if same and (day is not None or year == born.year):
                return placeholder(Kind.BIRTH_DATE, language)
        return date_placeholder(language, month, year)
    return placeholder(span.kind, language)


def _labelled(text: str, spans: list[Span], home: str | None) -> list[Span]:
    """A town the case knows (the school's) gets its region from the gazetteer too."""
    out = []
    for span in spans:
        if span.kind == Kind.TOWN and not span.label:
            key = " ".join(fold(text[span.start : span.end]).replace("-", " ").split())
            regions = lexicon.gazetteer().places.get(key)
            region = places.region_of(regions, home) if regions else None
            if region is not None:
                span = Span(span.start, span.end, span.kind, span.priority, span.meta,
                            places.label(region))  # fmt: skip
        out.append(span)
    return out


def scrub(
    text: str,
    known: KnownIdentifiers | None = None,
    *,
    language: str = "ro",
    locality_level: int = LOCALITY_REGION,
) -> ScrubResult:
    """Replace every identifier in ``text``; placeholders already there are kept as they are.

    The one way in for every text that enters the library (drafts, edits, publishing, partners'
    imports). ``locality_level`` is how far localities are generalised (``kanon`` decides):
    0 their region, 1 their country, 2 nothing left.
    """
    known = known or KnownIdentifiers()
    text = coarsen_towns(text or "", language, locality_level)
    protected = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
    folded = fold(text)
    spans = _outside(_merge_overlaps(_candidates(text, folded, known, language)), protected)
    spans = _labelled(text, _join_names(text, spans), known.region)
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(_text_for(span, known, language, locality_level))
        position = span.end
    pieces.append(text[position:])
    scrubbed = "".join(pieces)
    return ScrubResult(
        text=scrubbed,
        replacements=highlights(scrubbed),
        new=len(spans),
        removed=[(s.start, s.end, str(s.kind)) for s in spans],
        doubts=doubts(scrubbed, language),
    )


_TOWN_PLACEHOLDER = re.compile(r"\[(?:localitate|town): ([^\[\]]{2,40})\]")


def coarsen_towns(text: str, language: str, level: int) -> str:
    """Localities already replaced, generalised further if the k-anonymity check now asks for
    it ("[localitate: România, Nord-Est]" → "[localitate: România]" → "[localitate]")."""
    if level == LOCALITY_REGION:
        return text

    def coarser(m: re.Match[str]) -> str:
        country = m.group(1).split(",")[0].strip()
        code = next(
            (c for names in COUNTRY_NAMES.values() for c, n in names.items() if n == country), ""
        )
        return town_placeholder(language, f"{code}:" if code else "", level)

    return _TOWN_PLACEHOLDER.sub(coarser, text)


def highlights(text: str) -> list[Replacement]:
    """Every placeholder in ``text``, for the reviewer's highlighting."""
    return [
        Replacement(m.start(), m.end(), str(kind_of_placeholder(m.group())))
        for m in PLACEHOLDER_RE.finditer(text)
    ]
