"""Spotting names the case does not know: name lists, and rules that need no list.

A capitalised word is a name when
- it follows a cue: kinship, a title, a role, the genitive "lui", the object marker "pe"
  ("mama lui Cosmin", "d-na Ciorescu", "agentul de poliție Mocanu", "l-am sunat pe Dorin");
- it is in the name lists (Faker's, and the larger Romanian and Moldovan ones shipped as data),
  in any Romanian inflection or diminutive (*Mariei*, *Ionuțule*, *Ilenuța*), or has a surname
  ending (-escu, -eanu, -iuc …) — at the start of a sentence only if it is no ordinary word;
- in Romanian text, it stands inside a sentence and is no Romanian word (the shipped
  dictionary): Romanian capitalises little else mid-sentence, and that little — holidays,
  institutions, countries, months — is kept by name;
- it is glued to another name ("Svetlana Grosu", "Ana-Maria").
Saints' names after "Sfântul"/"Sf." are feasts, not people ("de Sfântul Nicolae").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from casework.anonymise import lexicon
from casework.anonymise.names import (
    COMMON_WORDS,
    NEVER_NAMES,
    NameDictionary,
    base_forms,
    name_forms,
)
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.places import COUNTRIES
from casework.anonymise.sentence import (
    CUES,
    OPENERS,
    STRONG_SURNAME_ENDINGS,
    Token,
    addressed,
    after_comma,
    dative_follows,
    dative_person,
    in_title,
    initial_before,
    inside,
    is_first_name,
    is_subject,
    kin_after,
    romanian_sentences,
    vocative,
)
from casework.anonymise.text import starts_sentence

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]*[-‐‑]?[ \t]*")


_ABBREVIATED_CUES = frozenset(
    {"dl", "dna", "d-na", "d-l", "prof", "dr", "mr", "mrs", "ms", "pr", "dlui", "dnei", "d-nei"}
)
# Words between a role and the name: "agentul de poliție X", "medicul de familie X",
# "asistenta socială X", "profesoara de română X".
_ROLE_QUALIFIERS = frozenset(
    [
        "de",
        "politie",
        "familie",
        "social",
        "sociala",
        "scolar",
        "scolara",
        "comunitar",
        "comunitara",
        "medical",
        "medicala",
        "romana",
        "matematica",
        "engleza",
        "istorie",
        "sport",
        "serviciu",
        "caz",
        "sprijin",
        "la",
        "primarie",
        "din",
        "partea",
        "clasei",
        "lor",
        "ei",
        "lui",
        "sau",
        "sa",
        "vitreg",
        "vitrega",
        "mai",
        "mare",
        "mic",
        "mica",
        "mijlociu",
    ]
)
_SAINTS = frozenset({"sfantul", "sfanta", "sf", "sfintii", "sfintilor", "sfantului"})


def _never(token: Token) -> bool:
    """Words that are never names themselves: months, institutions, countries, the cues."""
    return any(
        f in NEVER_NAMES or f in CUES or f in COUNTRIES
        for f in base_forms(token.folded)
        # A three-letter base ("mai" of "Maia", "may" of "Maya") is too short to tell.
        if f == token.folded or len(f) >= 4
    )


def _in_dictionary(token: Token, names: NameDictionary, extra: set[str], *, core: bool) -> bool:
    return any(f in extra or names.is_name(f, core=core) for f in token.forms)


_PREVIOUS = re.compile(r"([^\W\d_][\w'’-]*)(\.?)[\s,:]*$")


def _words_before(folded: str, start: int, count: int) -> list[tuple[str, bool]]:
    """The ``count`` words before ``start``, nearest first, each with whether a full stop
    follows it."""
    out: list[tuple[str, bool]] = []
    end = start
    for _ in range(count):
        m = _PREVIOUS.search(folded[max(0, end - 40) : end])
        if m is None:
            break
        out.append((m.group(1), bool(m.group(2))))
        end = max(0, end - 40) + m.start()
        if folded[max(0, end - 1) : end] in ".!?\n":
            break
    return out


def _cue_before(folded: str, token: Token) -> bool:
    words = _words_before(folded, token.start, 4)
    for index, (word, stop) in enumerate(words):
        if stop and word not in _ABBREVIATED_CUES:
            return False  # "… cu diriginta. Am discutat": a full stop ends the sentence
        if word in CUES:
            return True
        if word not in _ROLE_QUALIFIERS or index >= 2:
            return False
    return False


def _saint(folded: str, token: Token) -> bool:
    words = _words_before(folded, token.start, 1)
    return bool(words) and words[0][0] in _SAINTS


def _romanian_word(token: Token) -> bool:
    return lexicon.is_romanian_word(token.folded)


def unknown_name_spans(
    original: str,
    folded: str,
    names: NameDictionary,
    extra: set[str],
    *,
    romanian: bool = True,
) -> Iterator[Span]:
    tokens: list[Token] = []
    for m in _WORD.finditer(original):
        text = m.group()
        if not text[0].isupper():
            continue
        fold_text = folded[m.start() : m.end()]
        tokens.append(
            Token(
                start=m.start(),
                end=m.end(),
                text=text,
                folded=fold_text,
                forms=name_forms(fold_text),
                capitalised=True,
                sentence_start=starts_sentence(original, m.start()),
            )
        )
    romanian_at = romanian_sentences(original, folded) if romanian else []
    for token in tokens:
        if len(token.folded) < 2 or _never(token) or _saint(folded, token):
            continue
        common = token.folded in COMMON_WORDS
        upper = token.text.isupper() and len(token.text) > 1
        cued = (
            _cue_before(folded, token)
            or kin_after(original, folded, token)
            or initial_before(original, token)
        )
        if cued and not upper:
            token.name = True
        elif len(token.folded) < 3:
            continue
        elif common:
            # "Rusu", "Lupu", "Grecu": ordinary words in the name lists, names where Romanian
            # writes no such word (the colloquial "-u" is no word of a written note).
            subject = token.sentence_start and is_subject(original, token, names)
            token.name = inside(romanian_at, token.start) and (not _romanian_word(token) or subject)
        elif upper:
            # Upper-case words are acronyms unless they are names ("POPESCU Andrei").
            token.name = _in_dictionary(token, names, extra, core=True)
        elif token.sentence_start:
            listed = _in_dictionary(token, names, extra, core=True)
            token.name = listed and (
                not (romanian and _romanian_word(token))
                or bool(STRONG_SURNAME_ENDINGS.search(token.folded))
                or dative_follows(original, token)
                or is_first_name(token, names, core=True)
            )
            if not token.name and inside(romanian_at, token.start):
                token.name = is_subject(original, token, names)
            if not token.name and inside(romanian_at, token.start):
                # "Violei îi este greu", "Nitule, ai promis că vii!": a dative opening a
                # sentence, or someone addressed, is a person even when the word is a word.
                token.name = dative_person(original, token) or vocative(original, token)
            if not token.name and inside(romanian_at, token.start):
                # "Mario, te așteptăm!": a word opening a sentence and set off by a comma is
                # someone addressed when it is a name in any form. Otherwise a word opening a
                # Romanian sentence that is no Romanian word is a name ("Ilenuța a plâns",
                # "Mariei îi este greu").
                token.name = (listed and addressed(original, token)) or not _romanian_word(token)
        elif _in_dictionary(token, names, extra, core=False):
            token.name = True
        elif inside(romanian_at, token.start):
            # Mid-sentence and capitalised: a name that is also a word ("Ursu"), or no word,
            # or the subject of a clause after a comma ("De Revelion, Tarsita i-a cumpărat").
            ambiguous = token.folded in names.ambiguous and not in_title(original, token)
            token.name = (
                ambiguous
                or not _romanian_word(token)
                or (after_comma(original, token) and is_subject(original, token, names))
            )
    _capital_surnames(original, tokens, names)
    _chain(original, tokens, names)
    for token in tokens:
        if token.name:
            yield Span(token.start, token.end, Kind.PERSON, 5)


def _adjacent(original: str, left: Token, right: Token) -> bool:
    gap = original[left.end : right.start]
    return bool(_GAP.fullmatch(gap))


_COORDINATED = re.compile(r"[ \t]+(?:și|si|şi|sau)[ \t]+")


def _opens_a_name(left: Token, right: Token) -> bool:
    """ "Fita Buhoiu și …", "Mandea Orășanu a sunat": a word opening a sentence before a
    surname that is plainly one (an ending only surnames have, or no Romanian word) is its
    first name, unless it is a word that opens sentences ("Apoi", "Minora")."""
    plainly = bool(STRONG_SURNAME_ENDINGS.search(right.folded)) or not _romanian_word(right)
    return plainly and left.folded not in OPENERS and not left.text.isupper()


def _capital_surnames(original: str, tokens: list[Token], names: NameDictionary) -> None:
    """ "numitul PĂDURE Ionuț", "MITREA Victoria": letters from the police and the courts write
    the surname in capitals before the first name; an upper-case word right before a first name
    is a surname, and the first name is one even when it is also a word."""
    for left, right in itertools.pairwise(tokens):
        if (
            left.text.isupper()
            and len(left.text) >= 3
            and not right.text.isupper()
            and _adjacent(original, left, right)
            and not _never(left)
            and not _never(right)
            and (right.name or is_first_name(right, names))
        ):
            left.name = right.name = True


def _chain(original: str, tokens: list[Token], names: NameDictionary) -> None:
    """Extend names to the capitalised words glued to them: "Svetlana Grosu", "Ana-Maria"."""
    changed = True
    while changed:
        changed = False
        for left, right in itertools.pairwise(tokens):
            if not _adjacent(original, left, right) or left.name == right.name:
                continue
            if _never(left) or _never(right):
                continue
            if left.name and not right.name and len(right.folded) >= 2:
                right.name = True
                changed = True
            elif (
                right.name
                and not left.name
                and left.folded not in OPENERS
                and (
                    not left.sentence_start
                    or is_first_name(left, names)
                    or _in_dictionary(left, names, set(), core=False)
                    or left.folded in names.ambiguous
                    or not _romanian_word(left)
                    or _opens_a_name(left, right)
                )
            ):
                left.name = True
                changed = True
        for left, right in itertools.pairwise(tokens):
            # "Popescu și Meda": a capitalised word joined to a name by "și"/"sau" inside a
            # sentence is another name (places and kept words are no names: never chained).
            if left.name == right.name or not _COORDINATED.fullmatch(
                original[left.end : right.start]
            ):
                continue
            other = right if left.name else left
            if other.sentence_start or _never(other) or other.text.isupper():
                continue
            other.name = True
            changed = True
