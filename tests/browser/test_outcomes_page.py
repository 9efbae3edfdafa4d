"""A director reads the outcomes dashboard in Romanian, on her phone and at her desk: the charts
(drawn as SVG, each with its table), the retention table, a suppressed cell of the grid saying
why — without sideways scrolling, without an English word — and downloads the workbook."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook

from tests.browser.conftest import requires_chromium
from tests.browser.pages import DESKTOP, PHONE, check
from tests.conftest import requires_postgres
from tests.factories import World, advance, make_student, make_user, make_world, reload

pytestmark = [
    pytest.mark.browser,
    requires_postgres,
    requires_chromium,
    pytest.mark.django_db(transaction=True),
]


def _school(world: World) -> None:
    """Four flagged with pedagogical support (a cell too small to show) and five with
    socio-economic support (shown), flagged 400 days ago; one of them dropped out 300 days
    after being flagged, so within the year the grid reads."""
    from casework.models import Student
    from workflows import services

    flagged_on = datetime.datetime.now() - datetime.timedelta(days=400)
    for n in range(9):
        student = make_student(world.school)
        function = "pedagogical" if n < 4 else "socio_economic"
        with time_machine.travel(flagged_on, tick=False):
            case = services.case_flag(
                student=student, actor=world.teacher, reason="r", functions=[function]
            )
            advance(reload(case), world, "intervention")
    make_student(world.school)
    Student.objects.filter(pk=student.pk).update(
        status="dropped_out", left_on=datetime.date.today() - datetime.timedelta(days=100)
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_it_shows_a_director_the_dashboard_and_the_workbook(
    server: str, browser: Any, viewport: dict[str, int]
) -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from casework.models import Position

    world = make_world()
    director = make_user("directoare", world.school)
    # The test settings hash with MD5, which the server (real settings) does not accept.
    director.password = PBKDF2PasswordHasher().encode("demo", "browsertestsalt", iterations=1000)
    director.save(update_fields=["password"])
    Position.objects.create(user=director, school=world.school, position="director")
    _school(world)

    context = browser.new_context(locale="ro-RO", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "directoare")
    page.fill("#id_password", "demo")
    page.click("form.ao-login button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{server}/outcomes/")
    # The default year starts after the flags: she widens the period.
    since = datetime.date.today() - datetime.timedelta(days=500)
    page.fill("input[name=from]", since.isoformat())
    page.get_by_role("button", name="Arătați").click()
    page.wait_for_url(lambda url: "from=" in url)
    assert check(page) == []
    text = page.inner_text("main")
    assert "Menținerea în școală" in text
    assert "nu se afișează: mai puțin de 5 elevi" in text
    # Four charts, each an image with a name, drawn and visible, each with a table beside it
    # but the closure's, whose numbers are the key figures.
    charts = page.locator("figure[data-chart] svg[role=img]")
    assert charts.count() == 4
    for n in range(4):
        assert charts.nth(n).is_visible()
        assert charts.nth(n).bounding_box()["width"] <= viewport["width"]
    assert page.get_by_role("img", name="Situația cazurilor semnalate în perioadă").count() == 1
    assert page.locator("[data-chart=effectiveness] rect[fill='#a4161a']").count() == 1
    assert page.locator("[data-retention] tr[data-row]").count() == 4

    with page.expect_download() as caught:
        page.get_by_role("link", name="Descărcați cifrele (XLSX)").click()
    download = caught.value
    assert download.suggested_filename.startswith("rezultate-")
    # From a stream: the saved download has no .xlsx suffix, which openpyxl wants of a path.
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == [
        "Indicatori principali",
        "Durate",
        "Menținerea în școală",
        "Eficiența",
    ]
    figures = dict(row[:2] for row in book["Indicatori principali"].iter_rows(values_only=True))
    assert figures["Cazuri semnalate"] == 9
    grid = list(book["Eficiența"].iter_rows(values_only=True))
    # Socio-economic support: five students, four retained, one dropped out.
    assert [row[2:] for row in grid if row[2] != "nu se afișează: mai puțin de 5 elevi"][1:] == [
        (5, 4, 1, 0, 0)
    ]
    context.close()
