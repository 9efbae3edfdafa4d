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
from dataclasses import dataclass

from casework.anonymise import lexicon
from casework.anonymise.names import (
    COMMON_WORDS,
    CUE_WORDS,
    NEVER_NAMES,
    NameDictionary,
    base_forms,
    name_forms,
)
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.places import COUNTRIES
from casework.anonymise.text import starts_sentence

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]*[-‐‑]?[ \t]*")


_CUES = frozenset(c.rstrip(".") for c in CUE_WORDS)
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
    ]
)
_SAINTS = frozenset({"sfantul", "sfanta", "sf", "sfintii", "sfintilor", "sfantului"})


@dataclass
class _Token:
    start: int
    end: int
    text: str
    folded: str
    forms: list[str]
    capitalised: bool
    sentence_start: bool
    name: bool = False


def _never(token: _Token) -> bool:
    """Words that are never names themselves: months, institutions, countries, the cues."""
    return any(f in NEVER_NAMES or f in _CUES or f in COUNTRIES for f in base_forms(token.folded))


def _in_dictionary(token: _Token, names: NameDictionary, extra: set[str], *, core: bool) -> bool:
    return any(f in extra or names.is_name(f, core=core) for f in token.forms)


def _is_first_name(token: _Token, names: NameDictionary, *, core: bool = False) -> bool:
    if core:
        # Only the word itself: "Alina a sunat" (a first name that is also a verb), not a
        # diminutive or an inflection of one.
        return names.is_first_name(token.folded, core=True)
    return any(names.is_first_name(f) for f in token.forms)


_PREVIOUS = re.compile(r"([^\W\d_][\w'’-]*)(\.?)[\s,]*$")


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


def _cue_before(folded: str, token: _Token) -> bool:
    words = _words_before(folded, token.start, 4)
    for index, (word, stop) in enumerate(words):
        if stop and word not in _ABBREVIATED_CUES:
            return False  # "… cu diriginta. Am discutat": a full stop ends the sentence
        if word in _CUES:
            return True
        if word not in _ROLE_QUALIFIERS or index >= 2:
            return False
    return False


def _saint(folded: str, token: _Token) -> bool:
    words = _words_before(folded, token.start, 1)
    return bool(words) and words[0][0] in _SAINTS


def _romanian_word(token: _Token) -> bool:
    return lexicon.is_romanian_word(token.folded)


def unknown_name_spans(
    original: str,
    folded: str,
    names: NameDictionary,
    extra: set[str],
    *,
    romanian: bool = True,
) -> Iterator[Span]:
    tokens: list[_Token] = []
    for m in _WORD.finditer(original):
        text = m.group()
        if not text[0].isupper():
            continue
        fold_text = folded[m.start() : m.end()]
        tokens.append(
            _Token(
                start=m.start(),
                end=m.end(),
                text=text,
                folded=fold_text,
                forms=name_forms(fold_text),
                capitalised=True,
                sentence_start=starts_sentence(original, m.start()),
            )
        )
    romanian_at = _romanian_sentences(original, folded) if romanian else []
    for token in tokens:
        if len(token.folded) < 2 or _never(token) or _saint(folded, token):
            continue
        common = token.folded in COMMON_WORDS
        upper = token.text.isupper() and len(token.text) > 1
        if _cue_before(folded, token) and not upper:
            token.name = True
        elif len(token.folded) < 3:
            continue
        elif common:
            # "Rusu", "Lupu", "Grecu": ordinary words in the name lists, names where Romanian
            # writes no such word (the colloquial "-u" is no word of a written note).
            token.name = _inside(romanian_at, token.start) and not _romanian_word(token)
        elif upper:
            # Upper-case words are acronyms unless they are names ("POPESCU Andrei").
            token.name = _in_dictionary(token, names, extra, core=True)
        elif token.sentence_start:
            listed = _in_dictionary(token, names, extra, core=True)
            token.name = listed and (
                not (romanian and _romanian_word(token))
                or bool(STRONG_SURNAME_ENDINGS.search(token.folded))
                or _dative_follows(original, token)
                or _is_first_name(token, names, core=True)
            )
            if not token.name and _inside(romanian_at, token.start):
                # "Mario, te așteptăm!": a word opening a sentence and set off by a comma is
                # someone addressed when it is a name in any form. Otherwise a word opening a
                # Romanian sentence that is no Romanian word is a name ("Ilenuța a plâns",
                # "Mariei îi este greu").
                token.name = (listed and _addressed(original, token)) or not _romanian_word(token)
        elif _in_dictionary(token, names, extra, core=False):
            token.name = True
        elif _inside(romanian_at, token.start):
            # Mid-sentence and capitalised: a name that is also a word ("Ursu"), or no word.
            ambiguous = token.folded in names.ambiguous and not _in_title(original, token)
            token.name = ambiguous or not _romanian_word(token)
    _chain(original, tokens, names)
    for token in tokens:
        if token.name:
            yield Span(token.start, token.end, Kind.PERSON, 5)


_SENTENCE = re.compile(r"[^.!?\n]+")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-zăâîșțşţ][^\W\d_]+")


_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "was",
        "were",
        "on",
        "with",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "at",
        "for",
        "from",
        "by",
        "has",
        "have",
        "had",
        "been",
        "will",
        "would",
        "this",
        "that",
        "which",
        "who",
        "not",
        "but",
    ]
)


def _romanian_sentences(original: str, folded: str) -> list[tuple[int, int]]:
    """The sentences written in Romanian: most of their lower-case words are Romanian words.
    Only there does "capitalised and no Romanian word" say "name"."""
    spans = []
    for m in _SENTENCE.finditer(original):
        words = [
            folded[w.start() : w.end()] for w in _LOWER_WORD.finditer(original, m.start(), m.end())
        ]
        known = sum(lexicon.is_romanian_word(w) for w in words)
        english = sum(w in _ENGLISH_FUNCTION_WORDS for w in words)
        if not words or (known * 2 >= len(words) + 1 and english * 3 < len(words)):
            spans.append((m.start(), m.end()))
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


_TITLE_GLUE = re.compile(r"[A-ZĂÂÎȘȚŞŢ][^\W\d_]*[ \t]+(?:de|al|a|din|pentru|și|si)[ \t]+$")


def _in_title(original: str, token: _Token) -> bool:
    """ "Postul de Poliție", "Colegiul de Arte": an ordinary word inside a capitalised title."""
    return bool(_TITLE_GLUE.search(original, max(0, token.start - 40), token.start))


# Endings only surnames have, even when the same letters make an adjective ("Codrescu").
STRONG_SURNAME_ENDINGS = re.compile(r"(?:escu|eanu|iuc|ciuc|enco|enko|ovici|evici|schi)$")
_DATIVE = re.compile(r"[ \t]+(?:îi|ii|i-a|i-au|i-am|i-ar|le|lui)\b")


def _dative_follows(original: str, token: _Token) -> bool:
    """ "Mariei îi este greu": a word opening a sentence in the dative is someone."""
    return bool(_DATIVE.match(original, token.end))


def _addressed(original: str, token: _Token) -> bool:
    return original[token.end : token.end + 1] in (",", "!")


def _adjacent(original: str, left: _Token, right: _Token) -> bool:
    gap = original[left.end : right.start]
    return bool(_GAP.fullmatch(gap))


def _chain(original: str, tokens: list[_Token], names: NameDictionary) -> None:
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
                and (
                    not left.sentence_start
                    or _is_first_name(left, names)
                    or _in_dictionary(left, names, set(), core=False)
                    or left.folded in names.ambiguous
                    or not _romanian_word(left)
                )
            ):
                left.name = True
                changed = True
