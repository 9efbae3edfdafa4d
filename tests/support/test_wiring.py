"""Support plugs into the core's hooks once, however often the app registry gets ready."""

from __future__ import annotations

from support.case_links import event_words, participations_changed, reason_words
from support.case_page import case_part
from support.wiring import connect
from workflows.agenda import AREA_REASON_WORDS, AREA_REASONS
from workflows.web.case_page import AREA_CASE_PARTS
from workflows.web.timeline import AREA_EVENT_WORDS


def test_it_adds_each_hook_once() -> None:
    connect()
    connect()
    assert AREA_REASONS.count(participations_changed) == 1
    assert AREA_REASON_WORDS.count(reason_words) == 1
    assert AREA_EVENT_WORDS.count(event_words) == 1
    assert AREA_CASE_PARTS.count(case_part) == 1
