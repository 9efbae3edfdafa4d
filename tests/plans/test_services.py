"""Writing action plans: who makes them, the template, the checks on each field, manual values."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.errors import Conflict, Forbidden, Invalid
from casework.models import AuditEvent
from plans import services
from plans.models import ActionPlan, IndicatorValue, PlanAction, PlanIndicator
from tests.plans.plan_helpers import YEAR, PlanStaff, blank_plan, one_indicator

pytestmark = pytest.mark.django_db


def test_it_reproduces_the_seeds_mobility_plan(plan_staff: PlanStaff) -> None:
    plan = services.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    assert plan.title == "Planul de acțiuni privind mobilitatea elevilor"
    assert plan.objectives.count() == 5
    actions = PlanAction.objects.filter(objective__plan=plan).order_by("number")
    assert [a.number for a in actions] == list(range(1, 17))
    first = actions[0]
    assert first.responsible == ["deputy_director", "form_tutor"]
    assert (first.starts_on, first.ends_on) == (
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 31),
    )
    assert first.term_kind == "months"
    assert actions.get(number=7).term_kind == "during_year"
    assert actions.get(number=11).responsible == ["quality_commission"]
    information = PlanIndicator.objects.get(action=first)
    assert (information.measure, information.target, information.filter) == (
        "activities",
        2,
        {"topic": "mobility", "with_attendance": True},
    )
    assert PlanIndicator.objects.filter(action__objective__plan=plan, target__lt=1).count() == 0
    assert AuditEvent.objects.filter(object_type="actionplan", object_id=str(plan.pk)).exists()


def test_it_makes_the_template_once_per_school_year(plan_staff: PlanStaff) -> None:
    first = services.plan_create(
        actor=plan_staff.director, school_year=YEAR, template="student_mobility"
    )
    with pytest.raises(Conflict) as refused:
        services.plan_create(actor=plan_staff.deputy, school_year=YEAR, template="student_mobility")
    assert refused.value.extra["plan"] == first.pk
    assert (
        services.plan_create(
            actor=plan_staff.deputy, school_year="2026-2027", template="student_mobility"
        ).school_year
        == "2026-2027"
    )


@pytest.mark.parametrize("who", ["director", "deputy", "coordinator"])
def test_it_lets_the_management_and_coordinators_make_plans(
    plan_staff: PlanStaff, who: str
) -> None:
    plan = services.plan_create(actor=plan_staff.user(who), title="Plan", school_year=YEAR)
    assert plan.school_id == plan_staff.world.school.pk


@pytest.mark.parametrize("who", ["ceiac", "tutor", "teacher", "psychologist", "network"])
def test_it_refuses_plans_from_others(plan_staff: PlanStaff, who: str) -> None:
    with pytest.raises(Forbidden):
        services.plan_create(actor=plan_staff.user(who), title="Plan", school_year=YEAR)
    assert not ActionPlan.objects.exists()


def test_it_refuses_another_schools_director_on_our_plan(plan_staff: PlanStaff) -> None:
    plan = blank_plan(plan_staff)
    with pytest.raises(Forbidden):
        services.plan_objective_add(actor=plan_staff.other_director, plan=plan, text="x")


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"title": "Plan", "school_year": "2025-2027"}, "school_year"),
        ({"title": "", "school_year": YEAR}, "title"),
        ({"school_year": YEAR, "template": "unknown"}, "template"),
    ],
)
def test_it_names_the_wrong_field_of_a_plan(
    plan_staff: PlanStaff, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        services.plan_create(actor=plan_staff.director, **fields)
    assert field in refused.value.fields


@pytest.mark.parametrize(
    "term",
    [
        {"from": "2025-08", "to": "2025-10"},
        {"from": "2026-06", "to": "2026-09"},
        {"from": "2025-11", "to": "2025-10"},
        {"from": "2025-9", "to": "2025-10"},
        "sometimes",
        None,
    ],
)
def test_it_refuses_a_term_outside_the_school_year(plan_staff: PlanStaff, term: object) -> None:
    plan = blank_plan(plan_staff)
    objective = services.plan_objective_add(actor=plan_staff.director, plan=plan, text="O")
    with pytest.raises(Invalid) as refused:
        services.plan_action_add(
            actor=plan_staff.director,
            objective=objective,
            text="A",
            responsible=["director"],
            term=term,
        )
    assert list(refused.value.fields) == ["term"]


def test_it_numbers_actions_through_the_plan(plan_staff: PlanStaff) -> None:
    plan = blank_plan(plan_staff)
    first, second = (
        services.plan_objective_add(actor=plan_staff.director, plan=plan, text=t) for t in "AB"
    )
    numbers = [
        services.plan_action_add(
            actor=plan_staff.director,
            objective=o,
            text="x",
            responsible=["director"],
            term="annual",
        ).number
        for o in (first, second, first)
    ]
    assert (first.number, second.number, numbers) == (1, 2, [1, 2, 3])


def test_it_refuses_an_unknown_position(plan_staff: PlanStaff) -> None:
    plan = blank_plan(plan_staff)
    objective = services.plan_objective_add(actor=plan_staff.director, plan=plan, text="O")
    with pytest.raises(Invalid) as refused:
        services.plan_action_add(
            actor=plan_staff.director,
            objective=objective,
            text="A",
            responsible=["janitor"],
            term="annual",
        )
    assert list(refused.value.fields) == ["responsible"]


@pytest.mark.parametrize(
    "fields,field,word",
    [
        ({"measure": "smiles"}, "measure", "activities"),
        ({"filter": {"colour": "red"}}, "filter", "colour"),
        ({"filter": {"topic": "weather"}}, "filter", "topic"),
        ({"filter": {"with_attendance": "yes"}}, "filter", "with_attendance"),
        ({"target": 0}, "target", "1"),
        ({"target": "many"}, "target", "1"),
    ],
)
def test_it_names_the_wrong_field_of_an_indicator(
    plan_staff: PlanStaff, fields: dict[str, object], field: str, word: str
) -> None:
    action = one_indicator(plan_staff).action
    values: dict[str, object] = {"text": "x", "target": 1, "measure": "activities"} | fields
    with pytest.raises(Invalid) as refused:
        services.plan_indicator_add(actor=plan_staff.director, action=action, **values)
    assert list(refused.value.fields) == [field]
    assert word in refused.value.fields[field][0]


@time_machine.travel(datetime.datetime(2025, 10, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_it_records_a_manual_value_by_a_responsible_holder(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="manual", target=2)
    entered = services.indicator_value_record(
        actor=plan_staff.tutor, indicator=indicator, value=1, evidence="https://example.org/a"
    )
    assert (entered.as_of, entered.entered_by) == (datetime.date(2025, 10, 20), plan_staff.tutor)
    assert AuditEvent.objects.filter(object_type="indicatorvalue").count() == 1


@pytest.mark.parametrize("who", ["director", "ceiac", "coordinator", "other_director"])
def test_it_refuses_a_value_from_someone_not_responsible(plan_staff: PlanStaff, who: str) -> None:
    indicator = one_indicator(plan_staff, measure="manual")
    with pytest.raises(Forbidden):
        services.indicator_value_record(
            actor=plan_staff.user(who),
            indicator=indicator,
            value=1,
            evidence="e",
            as_of=datetime.date(2025, 10, 1),
        )
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"value": 0}, "value"),
        ({"evidence": " "}, "evidence"),
        ({"as_of": datetime.date(2025, 8, 31)}, "as_of"),
        ({"as_of": datetime.date(1990, 1, 1)}, "as_of"),
    ],
)
def test_it_names_the_wrong_field_of_a_value(
    plan_staff: PlanStaff, fields: dict[str, object], field: str
) -> None:
    indicator = one_indicator(plan_staff, measure="manual")
    values: dict[str, object] = {"value": 1, "evidence": "e", "as_of": datetime.date(2025, 10, 1)}
    with pytest.raises(Invalid) as refused:
        services.indicator_value_record(
            actor=plan_staff.deputy,
            indicator=indicator,
            **(values | fields),  # type: ignore[arg-type]
        )
    assert list(refused.value.fields) == [field]


def test_it_refuses_a_value_for_an_indicator_counted_from_records(plan_staff: PlanStaff) -> None:
    indicator = one_indicator(plan_staff, measure="activities")
    with pytest.raises(Conflict):
        services.indicator_value_record(
            actor=plan_staff.deputy,
            indicator=indicator,
            value=1,
            evidence="e",
            as_of=datetime.date(2025, 10, 1),
        )
