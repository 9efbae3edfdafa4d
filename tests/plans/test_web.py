"""The outcomes dashboard: the figures, each chart drawn as SVG with a title, a description and
the table of its numbers, the grid's suppressed cells saying why, the workbook, and the menu
entry for those who may read it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from casework.models import Case, User
from tests.conftest import sign_in
from tests.factories import World, advance, make_student, reload
from tests.plans.conftest import at, flag

pytestmark = pytest.mark.django_db


def _four_social_cases(world: World) -> None:
    for _n in range(4):
        case = flag(
            world, make_student(world.school), datetime.date(2026, 3, 1), ["socio_economic"]
        )
        with time_machine.travel(at(datetime.date(2026, 3, 2)), tick=False):
            advance(reload(case), world, "intervention")
    Case.objects.update(risk_at_flag="high")


def test_it_shows_the_figures_and_why_a_cell_is_hidden(world: World, today: datetime.date) -> None:
    _four_social_cases(world)
    make_student(world.school)  # never flagged: the comparison has a rate, so a bar
    page = sign_in(Client(), world.coordinator).get("/outcomes/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Rezultate" in text
    assert 'data-row="flagged-6"' in text
    assert "mai puțin de 5 elevi" in text
    assert 'data-cell="function:socio_economic|high"' in text


def test_it_capitalises_every_key_figure_label(world: World, today: datetime.date) -> None:
    page = sign_in(Client(), world.coordinator).get("/outcomes/").content.decode()
    # The model's plural name is lower case ("obiective SMART"); a label starts with a capital.
    assert "<dt>Obiective SMART</dt>" in page


def test_it_draws_each_chart_with_its_title_description_and_table(
    world: World, today: datetime.date
) -> None:
    _four_social_cases(world)
    make_student(world.school)
    html = sign_in(Client(), world.coordinator).get("/outcomes/").content.decode()
    for key in ("closure", "time", "retention"):
        chart = _between(html, f'data-chart="{key}"', "</figure>")
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in chart
        assert "<title" in chart and "<desc" in chart and "<rect" in chart
    # Four cases, none archived: the closure bar is all "open", the whole width.
    closure = _between(html, 'data-chart="closure"', "</figure>")
    assert "4 cazuri semnalate: arhivate 0, retrase 0, deschise 4" in closure
    assert 'width="320" height="14" fill="#8c96a0"' in closure
    assert "<table" in _between(html, 'id="time-title"', "</section>")
    # The only cell is suppressed: no bar drawn for it, and no chart of none.
    assert 'data-chart="effectiveness"' not in html


def _between(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at : text.index(end, at)]


def test_it_links_the_workbook_of_the_period_shown(world: World, today: datetime.date) -> None:
    client = sign_in(Client(), world.coordinator)
    html = client.get("/outcomes/", {"from": "2026-01-01", "to": "2026-06-30"}).content.decode()
    assert 'href="/outcomes/outcomes.xlsx?from=2026-01-01&amp;to=2026-06-30"' in html
    response = client.get("/outcomes/outcomes.xlsx", {"from": "2026-01-01", "to": "2026-06-30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rezultate-2026-01-01-2026-06-30.xlsx" in response["Content-Disposition"]


def test_it_speaks_english_when_asked(world: World, today: datetime.date) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), world.coordinator)
    text = client.get("/outcomes/").content.decode()
    assert "Retention" in text and "Still enrolled" in text


def test_it_puts_the_page_in_the_menu_of_its_readers_only(
    world: World, readers: dict[str, User]
) -> None:
    assert (
        'href="/outcomes/"'
        in sign_in(Client(), readers["director"]).get("/notifications/").content.decode()
    )
    assert (
        'href="/outcomes/"'
        not in sign_in(Client(), world.teacher).get("/notifications/").content.decode()
    )


@pytest.mark.parametrize("path", ["/outcomes/", "/outcomes/outcomes.xlsx"])
def test_it_answers_a_bad_period_with_400(world: World, path: str) -> None:
    page = sign_in(Client(), world.coordinator).get(path, {"from": "31.02.2026"})
    assert page.status_code == 400


def test_it_shows_a_wrong_period_next_to_its_dates_with_them_kept(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    reversed_ = client.get("/outcomes/", {"from": "2026-06-30", "to": "2026-01-01"})
    assert reversed_.status_code == 400
    page = reversed_.content.decode()
    assert 'id="id_from_error">Prima zi a perioadei este după ultima ei zi.' in page
    assert 'value="2026-06-30"' in page and 'value="2026-01-01"' in page and "data-export" in page
    bad = client.get("/outcomes/", {"from": "2026-01-01", "to": "ieri"})
    assert bad.status_code == 400
    assert 'id="id_to_error">Scrieți data ca AAAA-LL-ZZ.' in bad.content.decode()
    assert 'value="ieri"' in bad.content.decode()
