"""Who may take which step of a report, asked of the API for every position, kind, stage and
step. The expectation is built here from DESIGN.md's table ("Reports and their circuit"), not
from the policies: the author submits; the semester report's receiver is the school's career
counsellor, the summary's the director; readers are the author, the receivers, the deputy
director, the director and CEIAC, once the report is submitted. Invisible 404 → forbidden 403 →
out of order 409.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
import time_machine
from django.test import Client

from casework.models import Position, User
from counselling.models import Report
from counselling.reports import services
from tests.conftest import client_for, sign_in
from tests.counselling.conftest import Staff
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = ["tutor", "counsellor", "deputy", "director", "ceiac", "teacher", "other_director"]
KINDS = ["counselling_semester", "counselling_summary"]
STAGES = ["draft", "submitted", "registered", "returned"]
STEPS = ["submit", "register", "analyse", "approve", "return"]

AUTHOR = {"counselling_semester": "tutor", "counselling_summary": "counsellor"}
RECEIVER = {"counselling_semester": "counsellor", "counselling_summary": "director"}
READERS = {"counsellor", "deputy", "director", "ceiac"}
CONCLUDE = {"counselling_semester": "analyse", "counselling_summary": "approve"}
NEXT = {
    "draft": {"submit"},
    "returned": {"submit"},
    "submitted": {"register", "return"},
    "registered": {"return"},  # plus the kind's conclusion
}


def expected(role: str, kind: str, stage: str, step: str) -> int:
    if role != AUTHOR[kind] and not (role in READERS and stage != "draft"):
        return 404
    acts = AUTHOR[kind] if step == "submit" else RECEIVER[kind]
    if role != acts:
        return 403
    allowed = NEXT[stage] | ({CONCLUDE[kind]} if stage == "registered" else set())
    return 200 if step in allowed else 409


_periods = itertools.count(2000)


def _report(staff: Staff, kind: str, stage: str) -> Report:
    first = next(_periods)
    period = f"{first}-{first + 1}/1"
    if kind == "counselling_summary":
        semester = services.report_draft(
            actor=staff.tutor, kind="counselling_semester", period=period
        )
        semester = services.report_submit(actor=staff.tutor, report=semester)
        services.report_register(actor=staff.counsellor, report=semester)
    author = staff.user(AUTHOR[kind])
    receiver = staff.user(RECEIVER[kind])
    report = services.report_draft(actor=author, kind=kind, period=period)
    if stage == "draft":
        return report
    report = services.report_submit(actor=author, report=report)
    if stage == "registered":
        report = services.report_register(actor=receiver, report=report)
    if stage == "returned":
        report = services.report_return(actor=receiver, report=report, remarks="Refaceți.")
    return report


@pytest.fixture
def people(staff: Staff) -> Staff:
    other = make_user("other_director", staff.world.other_school)
    Position.objects.create(user=other, school=staff.world.other_school, position="director")
    staff.__dict__["other_director"] = other
    return staff


def _user(staff: Staff, role: str) -> User:
    return staff.user(role)


@pytest.mark.parametrize(("kind", "stage", "step"), list(itertools.product(KINDS, STAGES, STEPS)))
def test_it_answers_every_position_by_the_table(
    people: Staff, kind: str, stage: str, step: str
) -> None:
    wrong = []
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        for role in ROLES:
            report = _report(people, kind, stage)
            body: dict[str, Any] = {"note": "Analiză.", "remarks": "Completați."}
            response = client_for(_user(people, role)).post(
                f"/api/reports/{report.pk}/{step}/", body, format="json"
            )
            want = expected(role, kind, stage, step)
            if response.status_code != want:
                wrong.append(f"{role}: {response.status_code}, expected {want}")
    assert not wrong, wrong


# Every address that reads one report, the API's and the pages'.
READS = [
    "/api/reports/{pk}/",
    "/api/reports/{pk}/xlsx/",
    "/reports/{pk}/",
    "/reports/{pk}/file.xlsx",
]


@pytest.mark.parametrize("kind", KINDS)
def test_it_shows_a_report_to_its_readers_only(people: Staff, kind: str) -> None:
    wrong = []
    for stage in ("draft", "submitted"):
        report = _report(people, kind, stage)
        for role in ROLES:
            user = _user(people, role)
            api, page = client_for(user), sign_in(Client(), user)
            want = 404 if expected(role, kind, stage, "submit") == 404 else 200
            for address in READS:
                client = page if not address.startswith("/api/") else api
                status = client.get(address.format(pk=report.pk)).status_code
                if status != want:
                    wrong.append(f"{stage} {role} {address}: {status}, expected {want}")
    assert not wrong, wrong


def test_it_answers_the_pages_steps_like_the_api(people: Staff) -> None:
    """The page's step buttons post to the same services: 404, 403 and 409 alike."""
    report = _report(people, "counselling_semester", "submitted")
    for role, step, want in [
        ("other_director", "register", 404),
        ("tutor", "register", 403),
        ("counsellor", "analyse", 409),
        ("counsellor", "register", 302),
    ]:
        client = sign_in(Client(), _user(people, role))
        answer = client.post(f"/reports/{report.pk}/{step}/", {"note": "Analiză."})
        assert answer.status_code == want, (role, step)
