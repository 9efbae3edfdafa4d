"""The page checks themselves: what they take for English on a Romanian page."""

from __future__ import annotations

from tests.browser.pages import untranslated


def test_it_finds_a_stored_code_shown_raw_inside_a_romanian_line() -> None:
    raw = "vârsta omisă; calificarea generalizată la domeniul services"
    assert untranslated([raw]) == [raw]
    assert untranslated(["Obiective: 1 (on_track: 1)"]) != []


def test_it_leaves_the_same_line_in_words_alone() -> None:
    lines = [
        "vârsta omisă; calificarea generalizată la domeniul servicii",
        "sarcini administrative",
    ]
    assert untranslated(lines) == []


def test_it_finds_a_whole_english_message() -> None:
    assert untranslated(["Attendance"]) == ["Attendance"]
