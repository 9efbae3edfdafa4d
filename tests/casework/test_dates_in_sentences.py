"""A day inside a sentence a person reads is written as their language writes it: the window
messages of every page form ("… trebuie să fie între 1 septembrie 2026 și …"), posted in
Romanian, show no ISO date (2026-09-01) in the page's text. Date inputs keep ISO in their
``value``, as HTML wants; only the text people read is checked."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import formats, translation

from casework import dates
from tests.browser.pages import iso_days_in_sentences as in_lines
from tests.casework import test_dates
from tests.conftest import sign_in
from tests.factories import World

pytestmark = pytest.mark.django_db

PAGE_FRONTS = [
    (field, fronts["page"]) for field, fronts in test_dates.FRONTS.items() if "page" in fronts
]


class _Text(HTMLParser):
    """The text nodes of a page, without scripts, styles and templates."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.lines.append(" ".join(data.split()))


def iso_days_in_sentences(page: str) -> list[str]:
    """The rule the browser pages are held to (tests/browser/pages.py), on a page's HTML."""
    parser = _Text()
    parser.feed(page)
    return in_lines(parser.lines)


def _romanian_page(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    sign_in(client, user)
    return client


def test_it_finds_an_iso_day_in_a_sentence() -> None:
    page = '<p>Data trebuie să fie între 2026-09-01 și 2027-08-31.</p><input value="2026-09-01">'
    assert iso_days_in_sentences(page) == ["Data trebuie să fie între 2026-09-01 și 2027-08-31."]
    assert iso_days_in_sentences('<input type="date" value="2026-09-01"><p>1 sept.</p>') == []


@pytest.mark.parametrize("field,front", PAGE_FRONTS, ids=[f for f, _ in PAGE_FRONTS])
def test_it_writes_the_window_of_a_refused_date_as_romanian_writes_a_day(
    world: World, field: str, front: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(test_dates, "_page", _romanian_page)
    name = dates.MODEL_FIELDS[field]
    day = test_dates._outside(name)[1]
    status, shown, rows = front(world, day)
    assert status == 400 and rows == 0
    with translation.override("ro"):
        message = dates.window_error(name, day)
        latest = formats.date_format(dates.WINDOWS[name].bounds()[1])
    assert message is not None and message in shown and latest in message
    assert iso_days_in_sentences(shown) == []


def test_it_writes_a_day_in_the_readers_language() -> None:
    day = datetime.date(2026, 9, 1)
    with translation.override("ro"):
        assert dates.day_text(day) == "1 septembrie 2026"
        assert dates.iso_day_text("2026-09-01") == "1 septembrie 2026"
    with translation.override("en"):
        assert dates.day_text(day) == formats.date_format(day, "DATE_FORMAT")
    assert dates.iso_day_text(None) == ""
