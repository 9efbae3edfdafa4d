"""The outcomes page: the figures, the retention table with its bars, the grid's suppressed
cells saying why, and the menu entry for those who may read it."""

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
    assert 'data-row="flagged-6"' in text and "<progress" in text
    assert "mai puțin de 5 elevi" in text
    assert 'data-cell="function:socio_economic|high"' in text


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


def test_it_answers_a_bad_period_with_400(world: World) -> None:
    page = sign_in(Client(), world.coordinator).get("/outcomes/", {"from": "31.02.2026"})
    assert page.status_code == 400
