"""An opportunity's participant list as XLSX and CSV: the rows the reader may see, the case only
for those who see it, every cell formula-safe."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from casework.models import Case
from support.models import Participation
from support.services import (
    participation_outcome_record,
    participation_propose,
    participation_transition,
)
from tests.conftest import client_for, sign_in
from tests.factories import make_student
from tests.support.conftest import Scene

pytestmark = pytest.mark.django_db


def _rows_xlsx(answer: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _rows_csv(answer: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


@pytest.fixture
def listed(scene: Scene, case: Case) -> dict[str, Participation]:
    opportunity = scene.opportunity("practice_placement", days=10)
    tricky = make_student(
        scene.world.school,
        first_name='=HYPERLINK("http://x")',
        last_name="Pop",
        birth_date=datetime.date(2000, 1, 1),
    )
    plain = participation_propose(
        actor=scene.world.coordinator, opportunity=opportunity, role="learner", student=tricky
    )
    for name in ("select", "confirm", "start"):
        plain = participation_transition(
            actor=scene.world.coordinator, participation=plain, name=name
        )
    participation_outcome_record(
        actor=scene.world.coordinator,
        participation=plain,
        certificate="+1 calificare",
        competences="",
        hours_done=40,
    )
    linked = participation_propose(
        actor=scene.world.coordinator,
        opportunity=opportunity,
        role="learner",
        student=case.student,
        case=case,
    )
    return {"plain": plain, "linked": linked}


def test_it_exports_every_participant_to_a_manager_as_xlsx(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    answer = client_for(scene.world.coordinator).get(
        f"/api/opportunities/{opportunity}/participants.xlsx"
    )
    assert answer.status_code == 200
    disposition = f'attachment; filename="participanti-{opportunity}.xlsx"'
    assert answer["Content-Disposition"] == disposition
    with translation.override("en"):
        english = client_for(scene.world.coordinator).get(
            f"/api/opportunities/{opportunity}/participants.csv", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert f'filename="participants-{opportunity}.csv"' in english["Content-Disposition"]
    header, *rows = _rows_xlsx(answer)
    assert header[0] == "Participant" and header[-1] == "Caz"
    by_name = {row[0]: row for row in rows}
    # A cell a spreadsheet would read as a formula is kept as text.
    tricky = by_name['\'=HYPERLINK("http://x") Pop']
    assert tricky[8] == "'+1 calificare" and tricky[7] == 40
    linked = listed["linked"]
    assert by_name[linked.student.full_name][-1] == linked.case_id  # type: ignore[union-attr]


def test_it_names_the_sheet_in_the_readers_language(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    answer = sign_in(Client(), scene.world.coordinator).get(
        f"/opportunities/{opportunity}/participants.xlsx"
    )
    assert load_workbook(io.BytesIO(answer.content)).sheetnames == ["Participanți"]


def test_it_exports_the_same_list_as_csv_from_the_page(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    client = sign_in(Client(), scene.world.coordinator)
    page = client.get(f"/opportunities/{opportunity}/").content.decode()
    assert f"/opportunities/{opportunity}/participants.csv" in page
    assert f"/opportunities/{opportunity}/participants.xlsx" in page
    answer = client.get(f"/opportunities/{opportunity}/participants.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    _header, *rows = _rows_csv(answer)
    assert len(rows) == 2
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert [rows[0][0], rows[0][8]] == ['\'=HYPERLINK("http://x") Pop', "'+1 calificare"]


def test_it_gives_others_only_the_rows_of_cases_they_see(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    # The teacher who flagged the case sees it: its participant, with the case.
    teacher = client_for(scene.world.teacher).get(
        f"/api/opportunities/{opportunity}/participants.xlsx"
    )
    _, *rows = _rows_xlsx(teacher)
    assert [row[-1] for row in rows] == [listed["linked"].case_id]
    # A teacher of the school who does not see the case: no row at all.
    form_tutor = client_for(scene.world.form_tutor).get(
        f"/api/opportunities/{opportunity}/participants.csv"
    )
    assert form_tutor.status_code == 200 and len(_rows_csv(form_tutor)) == 1


def test_it_hides_the_case_from_a_manager_who_does_not_see_it(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    answer = client_for(scene.director).get(f"/api/opportunities/{opportunity}/participants.xlsx")
    _, *rows = _rows_xlsx(answer)
    assert len(rows) == 2 and all(row[-1] is None for row in rows)


def test_it_answers_an_unknown_format_with_404_on_the_page_and_400_in_the_api(
    scene: Scene, listed: dict[str, Participation]
) -> None:
    opportunity = listed["plain"].opportunity_id
    page = sign_in(Client(), scene.world.coordinator).get(
        f"/opportunities/{opportunity}/participants.pdf"
    )
    assert page.status_code == 404
    api = client_for(scene.world.coordinator).get(
        f"/api/opportunities/{opportunity}/participants.pdf"
    )
    assert api.status_code == 400 and "format" in api.json()
