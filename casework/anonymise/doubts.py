"""What the machine doubts: capitalised words the scrubber kept and cannot explain.

The scrubber removes what it recognises; a capitalised word it kept is either explained — it
opens a sentence and is an ordinary word, it is a month, a holiday, a country, an institution's
word, a placeholder — or it is a doubt: perhaps a name, a place or a firm that no list and no
rule knew. The reviewer, the second person before publishing, sees every doubt highlighted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.anonymise import lexicon
from casework.anonymise.known import GENERIC_ORGANISATION_WORDS
from casework.anonymise.names import CUE_WORDS, NEVER_NAMES, base_forms
from casework.anonymise.placeholders import PLACEHOLDER_RE
from casework.anonymise.places import COUNTRIES, PLACE_CUES
from casework.anonymise.text import fold, starts_sentence

_WORD = re.compile(r"[^\W\d_]+")
# English words that open or sit inside English sentences capitalised without being names.
_ENGLISH = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "a",
        "an",
        "the",
        "he",
        "she",
        "it",
        "we",
        "they",
        "you",
        "his",
        "her",
        "its",
        "our",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "when",
        "while",
        "after",
        "before",
        "during",
        "since",
        "until",
        "because",
        "although",
        "however",
        "therefore",
        "then",
        "what",
        "which",
        "who",
        "how",
        "why",
        "where",
        "if",
        "but",
        "and",
        "or",
        "so",
        "as",
        "at",
        "in",
        "on",
        "of",
        "to",
        "for",
        "with",
        "from",
        "by",
        "mr",
        "mrs",
        "ms",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "english",
        "maths",
        "christmas",
        "easter",
        "ok",
        "yes",
        "no",
        "not",
        "all",
        "some",
        "most",
        "every",
        "each",
        "one",
        "two",
        "three",
        "first",
        "second",
        "next",
        "last",
    ]
)
_EXPLAINED = NEVER_NAMES | COUNTRIES | GENERIC_ORGANISATION_WORDS | _ENGLISH
_CUES = frozenset(c.rstrip(".") for c in CUE_WORDS) | PLACE_CUES


@dataclass(frozen=True)
class Doubt:
    start: int
    end: int

    def as_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


def _explained(word: str, folded: str, sentence_start: bool, language: str) -> bool:
    forms = base_forms(folded)
    if any(f in _EXPLAINED or f in _CUES for f in forms):
        return True
    if word.isupper() and len(word) > 1:
        return False  # an acronym nobody explained: DGASPC is, "ACME" is not
    if sentence_start:
        # An ordinary word opening a sentence — unless it is also a place ("Perișor are o
        # singură școală"); in English, any word the scrubber kept there.
        if language != "ro":
            return True
        return lexicon.is_romanian_word(folded) and folded not in lexicon.gazetteer().places
    return False


def doubts(text: str, language: str = "ro") -> list[Doubt]:
    """Every capitalised word of ``text`` (outside placeholders) the scrubber cannot explain."""
    protected = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
    folded = fold(text)
    found: list[Doubt] = []
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or len(word) < 2:
            continue
        if any(start <= m.start() < end for start, end in protected):
            continue
        if not _explained(
            word, folded[m.start() : m.end()], starts_sentence(text, m.start()), language
        ):
            found.append(Doubt(m.start(), m.end()))
    return found
