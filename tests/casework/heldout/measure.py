"""Measuring the scrubber on the held-out corpus: recall per kind of planted identifier and the
share of ordinary words kept. ``python -m tests.casework.heldout.measure dev -v`` lists the misses
(for tuning: only ever on the development set).

``--hold-out`` measures with every planted locality taken out of the gazetteer first (counties
and districts stay: they are a closed list): the corpora's villages are real places, so a
complete register holds them all, and the figure with them held out is what the rules alone
find — a village no list knows."""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from casework.anonymise import KnownIdentifiers, lexicon, scrub
from casework.anonymise.names import base_forms, dictionary
from casework.anonymise.text import fold

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[(\w+)\|(.+?)\]\]|\{\{(.+?)\}\}")


def load(name: str) -> list[dict]:
    with gzip.open(HERE / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def strip(text: str) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """The plain text, the planted identifiers (start, end, kind) and the words to keep."""
    out: list[str] = []
    planted: list[tuple[int, int, str]] = []
    kept: list[tuple[int, int, str]] = []
    position = length = 0
    for m in MARK.finditer(text):
        before = text[position : m.start()]
        out.append(before)
        length += len(before)
        body = m.group(2) if m.group(1) else m.group(3)
        (planted if m.group(1) else kept).append((length, length + len(body), m.group(1) or body))
        out.append(body)
        length += len(body)
        position = m.end()
    out.append(text[position:])
    return "".join(out), planted, kept


@dataclass
class Tally:
    found: dict[str, list[int]] = field(default_factory=dict)  # kind → [removed, planted]
    kept: list[int] = field(default_factory=lambda: [0, 0])  # [kept, total]
    misses: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    # Removals that touch no planted identifier: over-redaction beyond the marked words.
    removals: list[int] = field(default_factory=lambda: [0, 0])  # [outside planted, all]
    extra: list[str] = field(default_factory=list)
    # How many planted names and localities the detector's own lists hold: [in lists, all].
    listed_names: list[int] = field(default_factory=lambda: [0, 0])
    listed_places: list[int] = field(default_factory=lambda: [0, 0])

    @property
    def removed(self) -> int:
        return sum(v[0] for v in self.found.values())

    @property
    def planted(self) -> int:
        return sum(v[1] for v in self.found.values())

    def recall(self) -> float:
        return self.removed / self.planted

    def kept_share(self) -> float:
        return self.kept[0] / self.kept[1] if self.kept[1] else 1.0

    def lines(self, name: str, cases: int) -> list[str]:
        lines = [
            f"held-out corpus, {name} set: {cases} cases, {self.planted} planted identifiers, "
            f"{self.kept[1]} ordinary words; recall {self.recall():.1%} "
            f"({self.removed}/{self.planted}); ordinary words kept {self.kept_share():.1%} "
            f"({self.kept[0]}/{self.kept[1]})"
        ]
        for kind, (ok, total) in sorted(self.found.items()):
            lines.append(f"  {kind}: {ok / total:.1%} ({ok}/{total})")
        names, places = self.listed_names, self.listed_places
        lines.append(
            f"  planted in the detector's own lists: names {names[0]} of {names[1]}, "
            f"localities {places[0]} of {places[1]}"
        )
        outside, every = self.removals
        lines.append(
            f"  removals that touch no planted identifier: {outside} of {every} "
            f"(precision {(every - outside) / every:.1%})"
        )
        return lines


def _covered(span: tuple[int, int, str], removed: list[tuple[int, int, str]], text: str) -> bool:
    start, end, _ = span
    return all(
        any(r_start <= i < r_end for r_start, r_end, _ in removed)
        for i in range(start, end)
        if text[i].isalnum()
    )


def _count_listed(tally: Tally, kind: str, text: str) -> None:
    """Is every word of a planted name in the detector's name lists, is a planted locality in
    its gazetteers? (The share tells how much of the recall the rules carry.)"""
    if kind in ("person", "person_inflected"):
        names = dictionary()
        shipped = lexicon.name_lists()
        words = [fold(w) for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
        listed = all(
            names.is_name(w) or w in shipped.first_names or w in shipped.surnames for w in words
        )
        tally.listed_names[0] += listed
        tally.listed_names[1] += 1
    elif kind == "locality":
        key = " ".join(fold(text).replace("-", " ").split())
        gazetteer = lexicon.gazetteer()
        tally.listed_places[0] += key in gazetteer.places or key in gazetteer.areas
        tally.listed_places[1] += 1


def measure(corpus: list[dict]) -> Tally:
    tally = Tally()
    for case in corpus:
        first, last = case["student"]
        known = KnownIdentifiers(student_names=[first, last], people=[case["parent"]])
        for marked in case["texts"].values():
            plain, planted, kept = strip(marked)
            result = scrub(plain, known, language="ro")
            for span in planted:
                _count_listed(tally, span[2], plain[span[0] : span[1]])
                ok = _covered(span, result.removed, plain)
                counts = tally.found.setdefault(span[2], [0, 0])
                counts[0] += ok
                counts[1] += 1
                if not ok:
                    tally.misses.append(f"{span[2]}: {plain[span[0] : span[1]]!r} in {result.text}")
            for r_start, r_end, kind in result.removed:
                tally.removals[1] += 1
                if not any(s[0] < r_end and r_start < s[1] for s in planted):
                    tally.removals[0] += 1
                    tally.extra.append(f"{kind}: {plain[r_start:r_end]!r} in {plain}")
            for start, end, word in kept:
                ok = not any(r[0] < end and start < r[1] for r in result.removed)
                tally.kept[0] += ok
                tally.kept[1] += 1
                if not ok:
                    tally.lost.append(f"{word!r} in {result.text}")
    return tally


def _place_keys(text: str) -> set[str]:
    """The gazetteer keys a planted locality may be looked up by: as written, inflected."""
    words = fold(text).replace("-", " ").split()
    head, last = " ".join(words[:-1]), words[-1]
    forms = {last, *base_forms(last)}
    if last.endswith("ii"):
        forms.add(last[:-2] + "a")
    if last.endswith("iului"):
        forms.add(last[:-4])
    return {f"{head} {f}".strip() for f in forms}


@contextmanager
def places_held_out(corpus: list[dict]) -> Iterator[int]:
    """The gazetteer without any locality the corpus plants (counties and districts stay);
    yields how many names were taken out."""
    shipped = lexicon.gazetteer()
    planted: set[str] = set()
    for case in corpus:
        for marked in case["texts"].values():
            plain, spans, _ = strip(marked)
            for start, end, kind in spans:
                if kind == "locality":
                    planted |= _place_keys(plain[start:end])
    out = {k for k in planted if k in shipped.places and k not in shipped.areas}
    held = replace(shipped, places={k: v for k, v in shipped.places.items() if k not in out})
    original = lexicon.gazetteer
    lexicon.gazetteer = lambda: held  # type: ignore[assignment]
    try:
        yield len(out)
    finally:
        lexicon.gazetteer = original


def measure_held_out(corpus: list[dict]) -> tuple[Tally, int]:
    with places_held_out(corpus) as removed:
        return measure(corpus), removed


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "dev"
    corpus = load(name)
    if "--hold-out" in sys.argv:
        tally, removed = measure_held_out(corpus)
        name = f"{name} ({removed} planted locality names held out of the gazetteer)"
    else:
        tally = measure(corpus)
    print("\n".join(tally.lines(name, len(corpus))))
    if "-v" in sys.argv:
        print("\nMISSES")
        print("\n".join(tally.misses))
        print("\nLOST")
        print("\n".join(tally.lost))
        print("\nEXTRA")
        print("\n".join(tally.extra))
