"""The identifiers a case already knows: its people, codes, dates, school, town, organisations.

These are matched without regard to case or diacritics and in their Romanian inflections, so
"Ștefan Țurcanu" also catches "stefan turcanu", "Ștefanului" and "ȚURCANU". Tokens that are
also ordinary words ("Mare", "Lupu", "May") are matched only when capitalised, so the text keeps
its ordinary words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from casework.anonymise.names import COMMON_WORDS, base_forms
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.text import fold, starts_sentence

# The generic words of school names: the distinctive rest ("Demo", "Ion Creangă") identifies it.
GENERIC_SCHOOL_WORDS = frozenset(
    fold(w)
    for w in [
        "liceul",
        "liceului",
        "colegiul",
        "colegiului",
        "scoala",
        "scolii",
        "tehnologic",
        "tehnic",
        "tehnica",
        "national",
        "nationala",
        "profesionala",
        "profesional",
        "gimnaziala",
        "gimnazial",
        "centrul",
        "centrului",
        "scolar",
        "scolara",
        "de",
        "din",
        "pentru",
        "si",
        "nr",
        "numarul",
        "economic",
        "economica",
        "agricol",
        "agricola",
        "industrial",
        "industriala",
        "sanitar",
        "sanitara",
        "sportiv",
        "teoretic",
        "pedagogic",
        "vocational",
        "vocationala",
        "postliceala",
        "energetic",
        "college",
        "school",
        "high",
        "technical",
        "academy",
        "of",
        "the",
        "institute",
        "centre",
        "center",
        "vocational",
        "secondary",
        "further",
        "education",
        "community",
        "upper",
    ]
)

# The ordinary words of organisation names ("Asociația Sprijin", "Ashford Youth Trust").
GENERIC_ORGANISATION_WORDS = GENERIC_SCHOOL_WORDS | frozenset(
    fold(w)
    for w in [
        "asociatia",
        "asociatiei",
        "fundatia",
        "fundatiei",
        "sprijin",
        "centrul",
        "directia",
        "directiei",
        "serviciul",
        "serviciului",
        "primaria",
        "primariei",
        "spitalul",
        "spitalului",
        "clinica",
        "cabinet",
        "cabinetul",
        "societatea",
        "firma",
        "srl",
        "ong",
        "judeteana",
        "judetean",
        "judetene",
        "publica",
        "public",
        "asistenta",
        "protectia",
        "copilului",
        "sociala",
        "social",
        "generala",
        "general",
        "trust",
        "youth",
        "foundation",
        "association",
        "services",
        "service",
        "council",
        "club",
        "group",
        "company",
        "ltd",
        "limited",
        "charity",
        "support",
        "care",
        "health",
    ]
)

_NAME_SPLIT = re.compile(r"[\s\-‐‑–]+")


def _tokens(name: str) -> list[str]:
    return [fold(t).strip(".'’,") for t in _NAME_SPLIT.split(name or "") if t.strip(".'’,")]


@dataclass
class KnownIdentifiers:
    """What the case knows. ``student_names`` become [elev], everyone else's [nume]."""

    student_names: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    birth_dates: list[datetime.date] = field(default_factory=list)
    schools: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    # Names of people the case does not involve but the school has (its register, its staff):
    # treated like dictionary names, so only capitalised words match.
    register_names: list[str] = field(default_factory=list)
    # The school's region: among several localities of one name, the one in it is meant.
    region: str = ""

    def name_tokens(self) -> tuple[dict[str, Kind], dict[str, Kind]]:
        """(tokens matched in any case, tokens matched only when capitalised) → kind."""
        anycase: dict[str, Kind] = {}
        capitalised: dict[str, Kind] = {}
        student = {t for name in self.student_names for t in _tokens(name)}
        others = {t for name in self.people for t in _tokens(name)}
        for token in student | others:
            if len(token) < 2 or not token.isalpha():
                continue
            kind = Kind.STUDENT if token in student and token not in others else Kind.PERSON
            (capitalised if token in COMMON_WORDS else anycase)[token] = kind
        return anycase, capitalised

    def extra_dictionary_names(self) -> set[str]:
        extra = {t for name in self.register_names for t in _tokens(name) if len(t) >= 3}
        _, capitalised = self.name_tokens()
        return extra | set(capitalised)


_WORD = re.compile(r"[^\W\d_]+")


def known_name_spans(original: str, folded: str, known: KnownIdentifiers) -> Iterator[Span]:
    anycase, capitalised = known.name_tokens()
    if not anycase and not capitalised:
        return
    student = {t for name in known.student_names for t in _tokens(name)}
    others = {t for name in known.people for t in _tokens(name)}
    for m in _WORD.finditer(folded):
        forms = base_forms(m.group())
        hit = next((f for f in forms if f in anycase), None)
        kind = anycase.get(hit) if hit else None
        if kind is None and original[m.start()].isupper():
            hit = next((f for f in forms if f in capitalised), None)
            kind = capitalised.get(hit) if hit else None
        if kind is not None and hit is not None:
            # Whose token it is decides, once the parts of a name are joined, between
            # [elev] (every part is the student's) and [nume].
            meta: dict[str, int | None] = {
                "student": int(hit in student),
                "other": int(hit in others),
            }
            yield Span(m.start(), m.end(), kind, 4, meta)


def _phrase_pattern(phrase: str, *, inflect: bool) -> re.Pattern[str] | None:
    tokens = [t for t in re.split(r"[\W_]+", fold(phrase)) if t]
    if not tokens:
        return None
    body = r"[\W_]{0,3}".join(re.escape(t) for t in tokens)
    suffix = r"(?:ul|ului|lui|ei|a|ii|i|s)?" if inflect else ""
    return re.compile(rf"(?<![^\W_]){body}{suffix}(?![^\W_])")


def _phrase_spans(
    folded: str, phrases: Iterable[str], kind: Kind, *, inflect: bool
) -> Iterator[Span]:
    for phrase in phrases:
        pattern = _phrase_pattern(phrase, inflect=inflect)
        if pattern is None:
            continue
        for m in pattern.finditer(folded):
            yield Span(m.start(), m.end(), kind, 2)


def _distinctive_tokens(names: Iterable[str], ignore: frozenset[str]) -> set[str]:
    return {
        t
        for name in names
        for t in re.split(r"[\W_]+", fold(name))
        if len(t) >= 3 and t.isalpha() and t not in ignore
    }


def _capitalised_token_spans(
    original: str, folded: str, tokens: set[str], kind: Kind, *, mid_sentence: bool = False
) -> Iterator[Span]:
    if not tokens:
        return
    for m in _WORD.finditer(folded):
        if not original[m.start()].isupper():
            continue
        if mid_sentence and starts_sentence(original, m.start()):
            continue
        if any(f in tokens for f in base_forms(m.group())):
            yield Span(m.start(), m.end(), kind, 3)


def _code_pattern(code: str) -> re.Pattern[str] | None:
    chunks = [c for c in re.split(r"[\W_]+", fold(code)) if c]
    if not chunks:
        return None
    body = r"[\s\-_./]?".join(re.escape(c) for c in chunks)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def known_phrase_spans(original: str, folded: str, known: KnownIdentifiers) -> Iterator[Span]:
    for code in known.codes:
        pattern = _code_pattern(code)
        if pattern is not None:
            for m in pattern.finditer(folded):
                yield Span(m.start(), m.end(), Kind.CODE, 1)
    for email in known.emails:
        start = folded.find(fold(email))
        while email and start >= 0:
            yield Span(start, start + len(email), Kind.EMAIL, 0)
            start = folded.find(fold(email), start + 1)
    yield from _phrase_spans(folded, known.schools, Kind.SCHOOL, inflect=True)
    yield from _phrase_spans(folded, known.organisations, Kind.ORGANISATION, inflect=True)
    yield from _phrase_spans(folded, known.towns, Kind.TOWN, inflect=True)
    # The distinctive words of the school's name and of multi-word towns and organisations
    # alone, capitalised ("la Demo", "Baia" of Baia Mare); the words alone may be ordinary.
    yield from _capitalised_token_spans(
        original, folded, _distinctive_tokens(known.schools, GENERIC_SCHOOL_WORDS), Kind.SCHOOL
    )
    yield from _capitalised_token_spans(
        original,
        folded,
        _distinctive_tokens(known.organisations, GENERIC_ORGANISATION_WORDS),
        Kind.ORGANISATION,
        # An organisation's words are often ordinary ones ("Sprijin"): mid-sentence only.
        mid_sentence=True,
    )
    yield from _capitalised_token_spans(
        original, folded, _distinctive_tokens(known.towns, frozenset()), Kind.TOWN
    )


def birth_date_spans(folded: str, known: KnownIdentifiers) -> Iterator[Span]:
    """Day and month of a birth date written without its year ("14.03", "14/03")."""
    for born in known.birth_dates:
        pattern = re.compile(
            rf"(?<![\d.])0?{born.day:d}\s?[./]\s?0?{born.month:d}(?![\d]|[./]\s?\d)"
        )
        for m in pattern.finditer(folded):
            yield Span(m.start(), m.end(), Kind.BIRTH_DATE, 3)
