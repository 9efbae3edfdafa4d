"""The outcomes on a school built by hand, where every figure is known in advance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case, Contact, Student, StudentRisk
from casework.services.consents import consent_record
from plans.outcomes import Period, effectiveness, kpis
from support.models import Opportunity, Participation
from tests.factories import World, advance, make_student, reload
from tests.plans.conftest import TODAY, YEAR_2025, at, flag, leave, triage
from workflows import services

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = Period(*YEAR_2025)


@dataclass
class School:
    flagged: dict[str, Student]
    cases: dict[str, Case]


@pytest.fixture
def school(world: World) -> School:
    """Five students flagged in 2025 (A to E), one before it (F) and one after (G); four never
    flagged (U1 to U4). Triage took 2, 4, 6 and 10 days (A to D); A then waited 10 days shared."""
    students = {name: make_student(world.school) for name in "ABCDEFG"}
    days = {
        "A": D(2025, 1, 10),
        "B": D(2025, 2, 1),
        "C": D(2025, 3, 1),
        "D": D(2025, 9, 1),
        "E": D(2025, 12, 31),
        "F": D(2024, 12, 31),
        "G": D(2026, 1, 2),
    }
    cases = {name: flag(world, students[name], day, ["pedagogical"]) for name, day in days.items()}
    for name, took in {"A": 2, "B": 4, "C": 6, "D": 10}.items():
        triage(world, cases[name], days[name] + datetime.timedelta(days=took))
    with time_machine.travel(at(D(2025, 1, 22)), tick=False):
        cases["A"] = advance(reload(cases["A"]), world, "intervention")
    leave(students["B"], "dropped_out", D(2025, 5, 1))
    leave(students["C"], "transferred", D(2025, 12, 1))
    leave(students["E"], "dropped_out", D(2026, 2, 1))
    leave(students["F"], "dropped_out", D(2025, 2, 1))
    unflagged = {name: make_student(world.school) for name in ("U1", "U2", "U3", "U4")}
    leave(unflagged["U2"], "dropped_out", D(2025, 3, 1))
    leave(unflagged["U3"], "graduated", D(2024, 6, 30))  # gone before the period: not counted
    leave(unflagged["U4"], "transferred", D(2025, 10, 1))
    return School(flagged=students, cases=cases)


def test_it_times_the_triage_from_the_flag(world: World, school: School) -> None:
    found = kpis(world.school, PERIOD, today=TODAY)
    # 2, 4, 6, 10 days: the median of an even count is the mean of the middle two; the 90th
    # percentile is the nearest rank (the 4th of 4).
    assert found["time_to_triage"] == {"count": 4, "median_days": 5.0, "p90_days": 10.0}


def test_it_times_each_stage_that_has_ended(world: World, school: School) -> None:
    stages = kpis(world.school, PERIOD, today=TODAY)["time_in_stage"]
    # Triage shares the case: the stay in monitoring is the time to triage; E is still there.
    assert stages["monitoring"] == {"count": 4, "median_days": 5.0, "p90_days": 10.0}
    assert stages["shared"] == {"count": 1, "median_days": 10.0, "p90_days": 10.0}
    assert stages["intervention"]["count"] == 0


def test_it_counts_only_the_cases_flagged_in_the_period(world: World, school: School) -> None:
    closure = kpis(world.school, PERIOD, today=TODAY)["closure"]
    assert closure == {"flagged": 5, "archived": 0, "withdrawn": 0, "open": 5, "rate": 0.0}
    one_day = kpis(world.school, Period(D(2025, 12, 31), D(2025, 12, 31)), today=TODAY)
    assert one_day["closure"]["flagged"] == 1  # E, flagged on the period's last day


def test_it_counts_the_objectives_met_at_closing(world: World, school: School) -> None:
    with time_machine.travel(at(D(2025, 2, 1)), tick=False):
        advance(reload(school.cases["A"]), world, "archived")
    found = kpis(world.school, PERIOD, today=TODAY)
    assert found["objectives_met"]["closing_reviews"] == {"all": 1, "partly": 0, "none": 0}
    assert found["closure"]["archived"] == 1 and found["closure"]["rate"] == 0.2


def test_it_compares_retention_with_the_unflagged_and_keeps_the_recent_pending(
    world: World, school: School
) -> None:
    six, twelve = kpis(world.school, PERIOD, today=TODAY)["retention"]
    # 6 months: A, C (left after 275 days), D retained; B dropped out; E flagged on 31.12.2025,
    # whose 183 days end after 30.06.2026, is pending though already gone.
    assert (six["months"], six["flagged"]) == (
        6,
        {
            "students": 5,
            "retained": 3,
            "dropped_out": 1,
            "transferred": 0,
            "graduated": 0,
            "pending": 1,
            "retention_rate": 0.75,
        },
    )
    # 12 months: C has left by then, D and E are pending.
    assert twelve["flagged"] == {
        "students": 5,
        "retained": 1,
        "dropped_out": 1,
        "transferred": 1,
        "graduated": 0,
        "pending": 2,
        "retention_rate": 0.333,
    }
    # The never flagged on the roll on 1.1.2025 (U1 to U4 but U3), followed from that day.
    assert six["unflagged"]["students"] == 3
    assert (six["unflagged"]["retained"], six["unflagged"]["dropped_out"]) == (2, 1)
    assert (twelve["unflagged"]["retained"], twelve["unflagged"]["transferred"]) == (1, 1)
    assert twelve["unflagged"]["retention_rate"] == 0.333


def test_it_keeps_the_unflagged_pending_while_their_months_run(
    world: World, school: School
) -> None:
    six, _twelve = kpis(world.school, Period(D(2026, 3, 1), TODAY), today=TODAY)["retention"]
    assert six["unflagged"]["pending"] == six["unflagged"]["students"] > 0
    assert six["unflagged"]["retention_rate"] is None
    assert six["flagged"]["students"] == 0


def _pedagogy_and_social(world: World, social: int) -> None:
    """Five students whose cases got pedagogical support (one dropped out), plus one flagged too
    recently for an outcome, and ``social`` students with socio-economic support; all at high
    risk when flagged."""
    for n in range(6 + social):
        student = make_student(world.school)
        functions = ["pedagogical"] if n < 6 else ["socio_economic"]
        day = D(2025, 12, 1) if n == 5 else D(2025, 1, 10)
        case = flag(world, student, day, functions)
        with time_machine.travel(at(day + datetime.timedelta(days=1)), tick=False):
            advance(case, world, "intervention")
        if n == 0:
            leave(student, "dropped_out", D(2025, 6, 1))
    Case.objects.update(risk_at_flag="high")


def test_it_fills_a_cell_per_intervention_and_risk_level(world: World) -> None:
    _pedagogy_and_social(world, social=5)
    cells = effectiveness(world.school, PERIOD, today=TODAY)["cells"]
    assert cells == [
        {
            "intervention": "function:pedagogical",
            "risk_level": "high",
            "suppressed": False,
            "students": 6,
            "retained": 4,
            "dropped": 1,
            "left": 0,
            "pending": 1,
        },
        {
            "intervention": "function:socio_economic",
            "risk_level": "high",
            "suppressed": False,
            "students": 5,
            "retained": 5,
            "dropped": 0,
            "left": 0,
            "pending": 0,
        },
    ]


def test_it_suppresses_a_cell_of_four_students(world: World) -> None:
    _pedagogy_and_social(world, social=4)
    cells = effectiveness(world.school, PERIOD, today=TODAY)["cells"]
    assert cells[1] == {
        "intervention": "function:socio_economic",
        "risk_level": "high",
        "suppressed": True,
    }
    assert cells[0]["suppressed"] is False


def test_it_records_the_risk_level_when_flagging(world: World) -> None:
    """The level the office sees (the stored assessment); none without one."""
    at_risk, unknown = make_student(world.school), make_student(world.school)
    StudentRisk.objects.create(student=at_risk, level="high", level_rank=2, as_of=TODAY)
    cases = [flag(world, s, TODAY, ["pedagogical"]) for s in (at_risk, unknown)]
    assert [reload(c).risk_at_flag for c in cases] == ["high", "none"]


def test_it_counts_referrals_taken_up_by_the_recipients_kind(world: World) -> None:
    """Five referrals accepted by a network member; one to a directory contact still waiting
    for an answer, which is no intervention yet. Flagged today: every outcome is pending."""
    contact = Contact.objects.create(office=world.office, kind="social_service", name="DGASPC")
    for n in range(6):
        case = advance(
            services.case_flag(
                student=make_student(world.school),
                actor=world.teacher,
                reason="r",
                functions=["socio_economic"],
            ),
            world,
            "intervention",
        )
        recipient: dict[str, Any] = (
            {"recipient_contact": contact} if n == 5 else {"recipient_user": world.network}
        )
        consent_record(
            case=case,
            actor=world.coordinator,
            scope="referral",
            given_by="guardian",
            given_by_name="Ion Pop",
            purpose="Support",
            **recipient,
        )
        target = {"to_contact": contact} if n == 5 else {"to_user": world.network}
        referral = services.referral_request(
            case=case, actor=world.coordinator, purpose="Support", **target
        )
        if n < 5:
            services.referral_change(referral=referral, name="accept", actor=world.network)
    today = datetime.date.today()
    cells = effectiveness(world.school, Period(today, today), today=today)["cells"]
    referrals = [c for c in cells if c["intervention"].startswith("referral:")]
    assert referrals == [
        {
            "intervention": "referral:network_member",
            "risk_level": "none",
            "suppressed": False,
            "students": 5,
            "retained": 0,
            "dropped": 0,
            "left": 0,
            "pending": 5,
        }
    ]


def _opportunity(world: World, kind: str) -> Opportunity:
    return Opportunity.objects.create(
        school=world.school,
        kind=kind,
        title=kind,
        starts_on=D(2025, 3, 1),
        ends_on=D(2025, 3, 10),
        created_by=world.coordinator,
    )


def _took_part(world: World, opportunity: Opportunity, status: str) -> None:
    """A student flagged on 10.1.2025 whose case proposed them for ``opportunity``, now at
    ``status`` (set directly: the participation's own rules are the support app's tests)."""
    student = make_student(world.school)
    case = flag(world, student, D(2025, 1, 10), ["information"])
    participation = Participation.objects.create(
        opportunity=opportunity,
        role="learner",
        student=student,
        case=case,
        proposed_by=world.coordinator,
    )
    Participation.objects.filter(pk=participation.pk).update(status=status)


def test_it_counts_the_opportunities_a_flagged_student_took_up_by_kind(world: World) -> None:
    """Five placements taken up (one student dropped out), one only proposed and one withdrawn,
    which are no intervention; four study visits, a cell too small to show."""
    placement = _opportunity(world, "practice_placement")
    for status in ("confirmed", "in_progress", "completed", "completed", "completed"):
        _took_part(world, placement, status)
    _took_part(world, placement, "proposed")
    _took_part(world, placement, "withdrawn")
    dropped = Student.objects.get(participations__status="confirmed")
    leave(dropped, "dropped_out", D(2025, 6, 1))
    visit = _opportunity(world, "study_visit")
    for _n in range(4):
        _took_part(world, visit, "completed")
    Case.objects.update(risk_at_flag="medium")
    cells = effectiveness(world.school, PERIOD, today=TODAY)["cells"]
    opportunities = [c for c in cells if c["intervention"].startswith("opportunity:")]
    assert opportunities == [
        {
            "intervention": "opportunity:practice_placement",
            "risk_level": "medium",
            "suppressed": False,
            "students": 5,
            "retained": 4,
            "dropped": 1,
            "left": 0,
            "pending": 0,
        },
        {"intervention": "opportunity:study_visit", "risk_level": "medium", "suppressed": True},
    ]


def test_it_leaves_out_a_participation_not_proposed_from_a_case(world: World) -> None:
    placement = _opportunity(world, "practice_placement")
    for _n in range(5):
        _took_part(world, placement, "completed")
    Participation.objects.update(case=None)
    cells = effectiveness(world.school, PERIOD, today=TODAY)["cells"]
    assert [c for c in cells if c["intervention"].startswith("opportunity:")] == []


def _queries(world: World) -> int:
    with CaptureQueriesContext(connection) as captured:
        kpis(world.school, PERIOD, today=TODAY)
        effectiveness(world.school, PERIOD, today=TODAY)
    return len(captured)


def test_it_asks_as_many_queries_whatever_the_number_of_cases(world: World, school: School) -> None:
    """Each figure is one aggregate (a median: a count and one slice), so more cases, more
    interventions and more opportunities taken up add rows to scan, never queries."""
    before = _queries(world)
    placement = _opportunity(world, "practice_placement")
    for n in range(6):
        day = D(2025, 4, 1 + n)
        case = flag(world, make_student(world.school), day, ["pedagogical", "information"])
        triage(world, case, day + datetime.timedelta(days=n))
        with time_machine.travel(at(day + datetime.timedelta(days=7)), tick=False):
            advance(reload(case), world, "intervention")
        _took_part(world, placement, "completed")
    assert _queries(world) == before
