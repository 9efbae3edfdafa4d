"""Spotting names the case does not know: a capitalised-word check against the dictionary.

A capitalised word is a name when
- it is in the name dictionary (or has a surname ending) and is not the first word of a
  sentence — Romanian capitalises little else mid-sentence;
- it opens a sentence but is in the Romanian or English lists (or has a surname ending), since
  those rarely double as sentence openers; ordinary words ("May", "Grace") never count alone;
- it follows a cue: kinship, a title, a role, the genitive "lui" ("mama lui Cosmin",
  "Mr Young", "diriginta Enache");
- it stands right after a first name ("Svetlana Grosu"), or right before a name, mid-sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from casework.anonymise.names import (
    COMMON_WORDS,
    CUE_WORDS,
    NEVER_NAMES,
    NameDictionary,
    base_forms,
)
from casework.anonymise.patterns import Span
from casework.anonymise.placeholders import Kind
from casework.anonymise.text import starts_sentence

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]*[-‐‑]?[ \t]*")


_CUES = frozenset(c.rstrip(".") for c in CUE_WORDS)
_ABBREVIATED_CUES = frozenset({"dl", "dna", "d-na", "d-l", "prof", "dr", "mr", "mrs", "ms"})


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
    """Words that are never names themselves: months, institutions, and the cues ("Mrs")."""
    return any(f in NEVER_NAMES or f in _CUES for f in token.forms)


def _in_dictionary(token: _Token, names: NameDictionary, extra: set[str], *, core: bool) -> bool:
    return any(f in extra or names.is_name(f, core=core) for f in token.forms)


def _is_first_name(token: _Token, names: NameDictionary) -> bool:
    return any(names.is_first_name(f) for f in token.forms)


def _cue_before(folded: str, token: _Token) -> bool:
    before = folded[max(0, token.start - 25) : token.start].rstrip(" ,")
    previous = re.search(r"([^\W\d_][\w'’-]*)(\.?)$", before)
    if previous is None or previous.group(1) not in _CUES:
        return False
    # "… cu diriginta. Am discutat": a full stop after a cue ends the sentence.
    return not previous.group(2) or previous.group(1) in _ABBREVIATED_CUES


def unknown_name_spans(
    original: str, folded: str, names: NameDictionary, extra: set[str]
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
                forms=base_forms(fold_text),
                capitalised=True,
                sentence_start=starts_sentence(original, m.start()),
            )
        )
    for token in tokens:
        if len(token.folded) < 2 or _never(token):
            continue
        common = any(f in COMMON_WORDS for f in token.forms[:1])
        if _cue_before(folded, token):
            token.name = True
        elif common or len(token.folded) < 3:
            continue
        elif token.text.isupper() and len(token.text) > 1:
            # Upper-case words are acronyms unless they are names ("POPESCU Andrei").
            token.name = _in_dictionary(token, names, extra, core=True)
        elif token.sentence_start:
            token.name = _in_dictionary(token, names, extra, core=True)
        else:
            token.name = _in_dictionary(token, names, extra, core=False)
    _chain(original, tokens, names)
    for token in tokens:
        if token.name:
            yield Span(token.start, token.end, Kind.PERSON, 5)


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
            elif (right.name and not left.name and not left.sentence_start) or (
                right.name and not left.name and _is_first_name(left, names)
            ):
                left.name = True
                changed = True
