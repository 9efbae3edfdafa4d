"""The anonymiser measured on text it was not built from (tests/casework/heldout/).

Two held-out corpora, each split for good into development sets (the rules were tuned on
those) and a test set (never tuned on; its misses are counted by kind, never read):

- the first (``generate.py``): names from gender-guesser's list and the hunspell dictionary's
  proper nouns, SIRUTA localities written inflected, a social worker's sentences;
- the second (``generate_second.py``), written later by hand: names and villages composed from
  general knowledge, five writing styles (field notes, a psychologist's report with capital
  headings, police and child-protection letters, SMS without diacritics, a class teacher's
  notes).

The run ends with recall per kind and the share of ordinary words kept on every set;
docs/LIBRARY.md keeps the figures. The floors are what the sets reach, so a regression fails:
the second test set stays under 99 % (its localities and schools under 95 %), and the floor
says so.
"""

from __future__ import annotations

from tests.casework import corpus_report
from tests.casework.heldout.measure import Tally, load, measure


def _measured(name: str) -> Tally:
    corpus = load(name)
    tally = measure(corpus)
    for line in tally.lines(name, len(corpus)):
        corpus_report.record(line)
    return tally


def _worst_kind(tally: Tally) -> float:
    return min(ok / total for ok, total in tally.found.values())


def test_it_removes_99_percent_of_the_identifiers_of_the_first_test_set() -> None:
    tally = _measured("test")
    assert tally.recall() >= 0.99
    assert _worst_kind(tally) >= 0.95, tally.found
    assert tally.kept_share() >= 0.95


def test_it_removes_nearly_every_identifier_of_the_second_test_set() -> None:
    tally = _measured("second_test")
    # 98.7 %: short of the 99 % aimed at. Localities (81.3 %: villages that are ordinary words
    # after "la", "în") and schools (94.7 %) are short of the 95 % aimed at for every kind.
    assert tally.recall() >= 0.985
    assert _worst_kind(tally) >= 0.80, tally.found
    assert tally.kept_share() >= 0.95


def test_it_reports_the_development_sets_it_was_tuned_on() -> None:
    for name in ("dev", "dev2", "dev3", "second_dev", "second_dev2"):
        tally = _measured(name)
        assert tally.recall() >= 0.99, name
        assert tally.kept_share() >= 0.95, name
