"""Folding text for matching: one character in, one character out, so spans carry over.

Matching is done on a folded copy of the text (lower case, diacritics stripped, ş/ș and ţ/ț
alike) and every span found there is applied to the original. That only works if folding never
changes the length, so each character folds on its own to exactly one character.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose but people type for the same sound.
_EXTRA = {"ß": "s", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "a", "œ": "o", "þ": "t"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    lowered = char.lower()
    if lowered in _EXTRA:
        return _EXTRA[lowered]
    # NFKD splits ş (cedilla) and ș (comma below) alike into s + a combining mark.
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )
    if len(stripped) == 1:
        return stripped
    return lowered if len(lowered) == 1 else char


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics, keeping its length."""
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _unaccent_char(char: str) -> str:
    if char.isascii():
        return char
    folded = _fold_char(char)
    return folded.upper() if char.isupper() and len(folded) == 1 else folded


def unaccent(text: str) -> str:
    """``text`` without diacritics, keeping its case and its length."""
    return "".join(_unaccent_char(c) for c in text)


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


_OPENERS = set(".!?…:;•*\"'„“«([-–—")
# A full stop after these ends an abbreviation, not a sentence ("dr. Popescu", "I. Predescu").
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "dl",
        "dna",
        "d-na",
        "d-l",
        "prof",
        "pr",
        "str",
        "nr",
        "jud",
        "com",
        "sat",
        "mun",
        "or",
        "ap",
        "sc",
        "bl",
        "et",
        "sf",
        "mr",
        "mrs",
        "ms",
        "st",
        "ing",
        "av",
        "lt",
        "col",
        "gen",
    ]
)
_LAST_WORD = re.compile(r"([^\W\d_][\w-]*)$")


def starts_sentence(text: str, start: int) -> bool:
    """Is the word at ``start`` the first of a sentence, a line, a list item or a quote?"""
    i = start - 1
    while i >= 0 and text[i].isspace():
        if text[i] == "\n":
            return True
        i -= 1
    if i >= 1 and text[i] in "-–—" and text[i - 1] == " " and text[: i - 1].rstrip()[-1:].isalnum():
        return False  # "Iași - Vaslui" (any dash): a dash between two words opens nothing
    if i >= 0 and text[i] == ".":
        word = _LAST_WORD.search(text[max(0, i - 6) : i])
        if word and (
            (len(word.group(1)) == 1 and word.group(1).isupper())
            or word.group(1).lower() in _ABBREVIATIONS
        ):
            return False
    return i < 0 or text[i] in _OPENERS
