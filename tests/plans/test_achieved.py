"""``achieved`` counted live from the records within each action's term, the status of each
indicator at its boundaries, and a fixed number of queries whatever the number of records."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counselling.models import Report
from plans import selectors, services
from plans.models import ActionPlan, PlanIndicator
from support import services as support
from support.models import DossierItem, Participation
from tests.factories import make_student
from tests.plans.plan_helpers import PlanStaff, activity, one_indicator, students

pytestmark = pytest.mark.django_db
IN_TERM = datetime.date(2025, 9, 20)
AFTER_TERM = datetime.date(2025, 11, 5)


def _counted(indicator: PlanIndicator, day: datetime.date = AFTER_TERM) -> PlanIndicator:
    indicator = PlanIndicator.objects.select_related("action__objective__plan").get(pk=indicator.pk)
    return selectors.indicator_counted(indicator, day)


def test_it_counts_activities_of_the_topic_with_an_attendance_list_in_the_term(
    plan_staff: PlanStaff,
) -> None:
    indicator = one_indicator(plan_staff, filter={"topic": "mobility", "with_attendance": True})
    tutor, pupils = plan_staff.tutor, students(plan_staff.world, 2)
    activity(tutor, IN_TERM, students=pupils)  # counted
    activity(tutor, IN_TERM)  # no attendance list
    activity(tutor, IN_TERM, topic="career_routes", students=pupils)  # another topic
    activity(tutor, datetime.date(2025, 11, 3), students=pupils)  # after the term
    activity(plan_staff.other_director, IN_TERM, students=pupils)  # another school
    counted = _counted(indicator)
    assert (counted.achieved, counted.status) == (1, "missed")  # type: ignore[attr-defined]
    assert counted.evidence == {"records": 1, "activities": 1}  # type: ignore[attr-defined]


def test_it_counts_distinct_students_reached(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="students_reached", target=3)
    pupils = students(plan_staff.world, 3)
    activity(plan_staff.tutor, IN_TERM, students=pupils[:2])
    activity(plan_staff.tutor, IN_TERM, students=pupils[1:2])
    activity(plan_staff.tutor, IN_TERM, kind="individual", students=pupils[2:])
    counted = _counted(indicator)
    assert counted.achieved == 3  # type: ignore[attr-defined]
    assert counted.evidence == {"records": 3, "activities": 3, "students": 3}  # type: ignore[attr-defined]
    assert counted.status == "achieved"  # type: ignore[attr-defined]


def test_it_counts_partners_agreements_and_opportunities_by_their_days(
    plan_staff: PlanStaff,
) -> None:
    director = plan_staff.director
    partners = one_indicator(plan_staff, measure="partners", term="annual")
    agreements = one_indicator(
        plan_staff, measure="agreements", term="annual", filter={"purpose": "mobility"}
    )
    visits = one_indicator(
        plan_staff, measure="opportunities", term="annual", filter={"kind": "study_visit"}
    )
    with time_machine.travel(datetime.datetime(2025, 10, 1, 10, tzinfo=datetime.UTC), tick=False):
        partner = support.partner_add(
            actor=director, name="SC Ex SRL", kind="employer", country="RO"
        )
        support.agreement_add(
            actor=director, partner=partner, purpose="mobility", signed_on=IN_TERM
        )
        support.agreement_add(
            actor=director, partner=partner, purpose="practice", signed_on=IN_TERM
        )
        for kind in ("study_visit", "experience_exchange"):
            support.opportunity_add(
                actor=director, kind=kind, title="V", starts_on=IN_TERM, ends_on=IN_TERM
            )
    before_year = support.partner_add(actor=director, name="Old", kind="ngo", country="RO")
    before_year.identified_on = datetime.date(2025, 8, 1)
    before_year.save()
    assert [_counted(i).achieved for i in (partners, agreements, visits)] == [1, 1, 1]  # type: ignore[attr-defined]


def _completed(plan_staff: PlanStaff, kind: str, n: int, day: datetime.date) -> list[Participation]:
    director = plan_staff.director
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), datetime.UTC), tick=False
    ):
        opportunity = support.opportunity_add(
            actor=director,
            kind=kind,
            title="O",
            starts_on=day,
            ends_on=day + datetime.timedelta(days=19),
        )
        done = []
        for _ in range(n):
            p = support.participation_propose(
                actor=director,
                opportunity=opportunity,
                role="learner",
                student=make_student(plan_staff.world.school, birth_date=datetime.date(2000, 1, 1)),
            )
            for move in ("select", "confirm", "start", "complete"):
                p = support.participation_transition(actor=director, participation=p, name=move)
            done.append(p)
    return done


def test_it_counts_students_who_completed_and_their_complete_dossiers(
    plan_staff: PlanStaff,
) -> None:
    participants = one_indicator(
        plan_staff, measure="participants", term="annual", filter={"kinds": ["short_term_mobility"]}
    )
    dossiers = one_indicator(plan_staff, measure="dossiers", term="annual")
    done = _completed(plan_staff, "short_term_mobility", 2, datetime.date(2026, 3, 2))
    _completed(plan_staff, "practice_placement", 1, datetime.date(2026, 3, 2))
    DossierItem.objects.filter(participation=done[0]).update(done_on=datetime.date(2026, 2, 20))
    DossierItem.objects.filter(participation=done[1]).exclude(item="insurance").update(
        done_on=datetime.date(2026, 2, 20)
    )
    assert _counted(participants, datetime.date(2026, 6, 1)).achieved == 2  # type: ignore[attr-defined]
    assert _counted(dossiers, datetime.date(2026, 6, 1)).achieved == 1  # type: ignore[attr-defined]


def test_it_counts_approved_reports_of_the_kind(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(
        plan_staff, measure="reports", term="annual", filter={"kind": "plan_monitoring"}
    )
    plan = indicator.action.objective.plan
    Report.objects.create(
        school=plan.school,
        author=plan_staff.ceiac,
        kind="plan_monitoring",
        period="2025-2026",
        plan=plan,
        status="approved",
        approved_on=datetime.date(2026, 6, 1),
    )
    Report.objects.create(
        school=plan.school,
        author=plan_staff.ceiac,
        kind="counselling_summary",
        period="2025-2026",
        status="approved",
        approved_on=datetime.date(2026, 6, 1),
    )
    assert _counted(indicator, datetime.date(2026, 6, 2)).achieved == 1  # type: ignore[attr-defined]


def test_it_sums_manual_values_dated_in_the_term(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="manual", target=3)
    for day, value in ((IN_TERM, 2), (datetime.date(2025, 10, 31), 1), (AFTER_TERM, 5)):
        with time_machine.travel(
            datetime.datetime(2025, 11, 10, 10, tzinfo=datetime.UTC), tick=False
        ):
            services.indicator_value_record(
                actor=plan_staff.deputy, indicator=indicator, value=value, evidence="e", as_of=day
            )
    counted = _counted(indicator, datetime.date(2025, 11, 10))
    assert (counted.achieved, counted.evidence) == (3, {"values": 2})  # type: ignore[attr-defined]


# The term is 1 September to 31 October: 61 days; over half of them are gone from 2 October.
@pytest.mark.parametrize(
    "today,held,status",
    [
        (datetime.date(2025, 8, 31), 0, "not_started"),
        (datetime.date(2025, 9, 1), 0, "on_track"),
        (datetime.date(2025, 10, 1), 0, "on_track"),
        (datetime.date(2025, 10, 2), 0, "at_risk"),
        (datetime.date(2025, 10, 2), 1, "on_track"),
        (datetime.date(2025, 10, 31), 2, "achieved"),
        (datetime.date(2025, 10, 31), 1, "on_track"),
        (datetime.date(2025, 11, 1), 1, "missed"),
        (datetime.date(2025, 11, 1), 2, "achieved"),
    ],
)
def test_it_gives_each_status_at_its_boundary(
    plan_staff: PlanStaff, today: datetime.date, held: int, status: str
) -> None:
    indicator = one_indicator(plan_staff, filter={"topic": "mobility"}, target=2)
    for _ in range(held):
        activity(plan_staff.tutor, datetime.date(2025, 9, 1))
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(12), datetime.UTC), tick=False
    ):
        [objective] = selectors.plan_tree(indicator.action.objective.plan)
        [counted] = objective.actions.all()[0].indicators.all()
    assert counted.status == status  # type: ignore[attr-defined]


def _queries_for_the_template(plan_staff: PlanStaff, records: int) -> int:
    plan = services.plan_create(
        actor=plan_staff.director, school_year="2025-2026", template="student_mobility"
    )
    pupils = students(plan_staff.world, 3)
    for n in range(records):
        activity(plan_staff.tutor, IN_TERM + datetime.timedelta(days=n % 60), students=pupils)
    with CaptureQueriesContext(connection) as queries:
        selectors.plan_tree(plan, datetime.date(2026, 6, 1))
    return len(queries)


def test_it_counts_a_plan_in_the_same_queries_for_10_or_1000_records(plan_staff: PlanStaff) -> None:
    few = _queries_for_the_template(plan_staff, 10)
    ActionPlan.objects.all().delete()
    many = _queries_for_the_template(plan_staff, 1000)
    assert few == many
    assert many <= 15
