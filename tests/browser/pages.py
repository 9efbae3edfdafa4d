"""What every page must hold to, checked in a real Chromium: it fits a 390 px phone without
sideways scrolling, and in Romanian it shows no message of ours or of a dependency left in
English, no Romanian letter with a cedilla (ş ţ) where the comma below belongs (ș ț), and no
ISO date (2026-09-01) inside a sentence."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path
from typing import Any

import django
import viewflow

from casework.anonymise.generalise import FAMILY_LABELS
from casework.services.library_facts import FUNCTION_LABELS, STATUS_LABELS

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Everything a person can read: the visible text (not the names of icons, which are ligatures,
# nor text marked as another language, like "English" in the language switcher), a field's
# placeholder, a control's accessible name and the window title.
_VISIBLE_TEXT = """() => {
  const lines = [];
  const skip = ".material-icons, script, style, noscript, template, body [lang]";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    lines.push(node.textContent);
  }
  for (const e of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (e.closest(skip)) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      if (e.getAttribute(name)) lines.push(e.getAttribute(name));
    }
  }
  lines.push(document.title);
  return lines.map(l => l.replace(/\\s+/g, " ").trim()).filter(l => l);
}"""

# The outermost elements that reach past the right edge: where to look first.
_WIDE = """(width) => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + " " +
       Math.round(e.getBoundingClientRect().right))"""
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[\w.]*\}")
_CEDILLA = re.compile("[şţŞŢ]")
# A day in ISO (2026-09-01) inside words: a sentence that should name the day as Romanian
# writes it. How to write a date in an import file is the one sentence that names ISO.
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_WORDS = re.compile(r"[^\W\d_]{3}")


def _catalogue(mo: Path) -> dict[str, str]:
    with mo.open("rb") as handle:
        catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and value and value != msgid:
            out[msgid.split("\x04")[-1]] = value
    return out


@cache
def english_messages() -> frozenset[str]:
    """The English messages that have a Romanian translation: ours, Django's and its contrib
    apps', and viewflow's (its msgids, from any of its catalogues)."""
    django_dir = Path(django.__file__).parent
    sources = [ROOT / "locale/ro/LC_MESSAGES/django.mo"]
    sources += django_dir.glob("conf/locale/ro/LC_MESSAGES/*.mo")
    sources += django_dir.glob("contrib/*/locale/ro/LC_MESSAGES/*.mo")
    sources += Path(viewflow.__file__).parent.glob("locale/fr/LC_MESSAGES/*.mo")
    messages: set[str] = set()
    for mo in sources:
        messages.update(" ".join(m.split()) for m in _catalogue(mo))
    # Words our catalogue keeps as they are in Romanian too ("Token", "Email").
    messages -= _same_in_romanian()
    return frozenset(m for m in messages if re.search("[A-Za-z]{2}", m))


def _same_in_romanian() -> set[str]:
    with (ROOT / "locale/ro/LC_MESSAGES/django.mo").open("rb") as handle:
        catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return {key for key, value in catalog.items() if isinstance(key, str) and key == value}


@cache
def _fragments() -> tuple[str, ...]:
    """Long literal pieces of the messages (between placeholders): one inside a line of the
    page is an English sentence even when the line holds other text too."""
    pieces = set()
    for message in english_messages():
        for piece in _PLACEHOLDER.split(message):
            piece = piece.strip(" .:,;()")
            if len(piece) >= 24 and " " in piece:
                pieces.add(piece)
    return tuple(sorted(pieces))


@cache
def _codes() -> re.Pattern[str]:
    """The codes that stored facts keep and pages must put in words ("services", "on_track"):
    one inside a Romanian line is a value shown raw, however short the line."""
    codes = set()
    for table in (FAMILY_LABELS, FUNCTION_LABELS, STATUS_LABELS):
        codes |= {code for code, words in table["ro"].items() if len(code) > 2 and code != words}
    codes -= {"transport", "administrative"}  # Romanian words as well
    return re.compile(r"\b(" + "|".join(sorted(codes)) + r")\b")


def untranslated(lines: list[str]) -> list[str]:
    messages = english_messages()
    found = []
    for line in lines:
        whole = line in messages or line.rstrip(".:") in messages
        if whole or any(piece in line for piece in _fragments()) or _codes().search(line):
            found.append(line)
    return found


def iso_days_in_sentences(lines: list[str]) -> list[str]:
    return [
        line
        for line in lines
        if _ISO_DAY.search(line) and _WORDS.search(line) and "YYYY-MM-DD" not in line
    ]


def check(page: Any) -> list[str]:
    """The problems of the page open in ``page``: overflow at its width, English, cedillas."""
    problems = []
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(_WIDE, width)
        problems.append(f"{scroll} px wide at {width} px: {wide}")
    lines = page.evaluate(_VISIBLE_TEXT)
    problems += [f"English: {line!r}" for line in untranslated(lines)]
    problems += [f"cedilla: {line!r}" for line in lines if _CEDILLA.search(line)]
    problems += [f"ISO date: {line!r}" for line in iso_days_in_sentences(lines)]
    return problems
