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
docs/LIBRARY.md keeps the figures. The corpora's villages are real places, so the complete
registers the detector ships (SIRUTA, GeoNames' Moldovan localities) hold them: each test set
is also measured with every planted locality held out of the gazetteer, which is what the rules
find with no list to help. The floors are what the sets reach, so a regression fails.
"""

from __future__ import annotations

from tests.casework import corpus_report
from tests.casework.heldout.measure import Tally, load, measure, measure_held_out


def _measured(name: str) -> Tally:
    corpus = load(name)
    tally = measure(corpus)
    for line in tally.lines(name, len(corpus)):
        corpus_report.record(line)
    return tally


def _measured_held_out(name: str) -> Tally:
    corpus = load(name)
    tally, removed = measure_held_out(corpus)
    label = f"{name}, its {removed} locality names held out of the gazetteer"
    for line in tally.lines(label, len(corpus)):
        corpus_report.record(line)
    return tally


def _worst_kind(tally: Tally) -> float:
    return min(ok / total for ok, total in tally.found.values())


def test_it_removes_99_percent_of_the_identifiers_of_the_first_test_set() -> None:
    tally = _measured("test")
    assert tally.recall() >= 0.99
    assert _worst_kind(tally) >= 0.95, tally.found
    assert tally.kept_share() >= 0.95


def test_it_removes_99_percent_of_the_identifiers_of_the_second_test_set() -> None:
    tally = _measured("second_test")
    assert tally.recall() >= 0.99
    assert _worst_kind(tally) >= 0.95, tally.found
    assert tally.kept_share() >= 0.95


def test_it_reports_what_the_rules_find_when_no_list_holds_the_villages() -> None:
    # Villages the gazetteer does not hold are found by their context only: an ordinary word
    # after "la", "în", "din" ("a dormit la Puhoi") stays, so localities fall well short.
    first = _measured_held_out("test")
    assert first.recall() >= 0.975
    assert first.found["locality"][0] / first.found["locality"][1] >= 0.93
    second = _measured_held_out("second_test")
    assert second.recall() >= 0.985
    assert second.found["locality"][0] / second.found["locality"][1] >= 0.75
    assert second.found["school"][0] / second.found["school"][1] >= 0.95
    assert first.kept_share() >= 0.95 and second.kept_share() >= 0.95


def test_it_reports_the_development_sets_it_was_tuned_on() -> None:
    for name in ("dev", "dev2", "dev3", "second_dev", "second_dev2"):
        tally = _measured(name)
        assert tally.recall() >= 0.99, name
        assert tally.kept_share() >= 0.95, name
