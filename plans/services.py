"""Writes of action plans: a plan (blank or from a template), its objectives, actions and
indicators, and the values of manual indicators. Each write is one transaction with its audit
row; the plan's row lock numbers objectives and actions without gaps or twins."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import dates
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, PositionKind, User
from casework.services.audit import audit_record
from plans import policies
from plans.measures import clean_filter, clean_measure
from plans.models import (
    ActionPlan,
    IndicatorValue,
    Measure,
    PlanAction,
    PlanIndicator,
    PlanObjective,
)
from plans.school_years import Term, parse_school_year, parse_term
from plans.template_mobility import TEMPLATES

MAX_TEXT = 2000
MAX_TARGET = 100_000


def _text(errors: dict[str, list[str] | str], field: str, value: Any, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(limit)s characters.") % {"limit": limit}]
    return text


def _whole(errors: dict[str, list[str] | str], field: str, value: Any) -> int:
    """A whole number from 1 (a target, a value): 400 on ``field`` otherwise."""
    try:
        number = int(value) if not isinstance(value, bool | float) else 0
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_TARGET:
        errors[field] = [_("Give a whole number from 1 to %(most)s.") % {"most": MAX_TARGET}]
    return number


def _locked(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


def plan_create(
    *, actor: User, school_year: Any, title: Any = "", template: Any = None
) -> ActionPlan:
    """A blank plan, or one made from ``template`` (``student_mobility``, once per year)."""
    policies.require_edit_plans(actor)
    errors: dict[str, list[str] | str] = {}
    if template not in (None, "") and template not in TEMPLATES:
        errors["template"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(TEMPLATES)}]
    try:
        year = parse_school_year(school_year)
    except Invalid as invalid:
        errors |= invalid.fields
    if template in TEMPLATES and not str(title or "").strip():
        title = TEMPLATES[template][0]
    title = _text(errors, "title", title, 200)
    if errors:
        raise Invalid(errors)
    school_id = actor.school_id
    assert school_id is not None  # the policy refuses staff without a school
    template = str(template or "")
    if template and (existing := _from_template(school_id, year.code, template)):
        raise _plan_exists(existing)
    try:
        with transaction.atomic():
            plan = ActionPlan.objects.create(
                school_id=school_id,
                title=title,
                school_year=year.code,
                template=template,
                created_by=actor,
            )
            if template:
                _fill(plan, TEMPLATES[template][1])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=plan,
                data={"school_year": year.code, "template": template},
            )
    except IntegrityError:
        # Two clicks at once: the constraint lets one plan of the template through.
        raise _plan_exists(_from_template(school_id, year.code, template)) from None
    return plan


def _from_template(school_id: int, year: str, template: str) -> ActionPlan | None:
    return ActionPlan.objects.filter(
        school_id=school_id, school_year=year, template=template
    ).first()


def _plan_exists(existing: ActionPlan | None) -> Conflict:
    return Conflict(
        _("The school already has this plan for the school year."),
        code="exists",
        plan=existing.pk if existing else None,
    )


def _fill(plan: ActionPlan, objectives: list[tuple[str, list[Any]]]) -> None:
    year = parse_school_year(plan.school_year)
    number = 0
    for o_number, (text, actions) in enumerate(objectives, start=1):
        objective = PlanObjective.objects.create(plan=plan, number=o_number, text=text)
        for a_text, responsible, raw_term, indicators in actions:
            number += 1
            if isinstance(raw_term, tuple):
                raw_term = {
                    "from": f"{year.first_year}-{raw_term[0]:02d}",
                    "to": f"{year.first_year}-{raw_term[1]:02d}",
                }
            term = parse_term(raw_term, year)
            action = PlanAction.objects.create(
                objective=objective,
                number=number,
                text=a_text,
                responsible=list(responsible),
                term_kind=term.kind,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
            )
            PlanIndicator.objects.bulk_create(
                PlanIndicator(action=action, text=i_text, target=target, measure=measure, filter=f)
                for i_text, target, measure, f in indicators
            )


def plan_objective_add(*, actor: User, plan: ActionPlan, text: Any) -> PlanObjective:
    policies.require_edit_plans(actor, plan.school_id)
    errors: dict[str, list[str] | str] = {}
    text = _text(errors, "text", text, MAX_TEXT)
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        _locked(plan)
        last = plan.objectives.aggregate(n=Max("number"))["n"] or 0
        objective = PlanObjective.objects.create(plan=plan, number=last + 1, text=text)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=objective,
            data={"plan": plan.pk, "number": objective.number},
        )
    return objective


def _responsible(errors: dict[str, list[str] | str], raw: Any) -> list[str]:
    if (
        not isinstance(raw, list)
        or not raw
        or any(not isinstance(code, str) or code not in PositionKind.values for code in raw)
    ):
        errors["responsible"] = [
            _("Give a list of positions, each one of: %(choices)s.")
            % {"choices": ", ".join(PositionKind.values)}
        ]
        return []
    return sorted(set(raw), key=PositionKind.values.index)


def plan_action_add(
    *, actor: User, objective: PlanObjective, text: Any, responsible: Any, term: Any
) -> PlanAction:
    plan = objective.plan
    policies.require_edit_plans(actor, plan.school_id)
    errors: dict[str, list[str] | str] = {}
    text = _text(errors, "text", text, MAX_TEXT)
    positions = _responsible(errors, responsible)
    parsed: Term | None = None
    try:
        parsed = parse_term(term, parse_school_year(plan.school_year))
    except Invalid as invalid:
        errors |= invalid.fields
    if errors or parsed is None:
        raise Invalid(errors)
    with transaction.atomic():
        _locked(plan)
        last = PlanAction.objects.filter(objective__plan=plan).aggregate(n=Max("number"))["n"]
        action = PlanAction.objects.create(
            objective=objective,
            number=(last or 0) + 1,
            text=text,
            responsible=positions,
            term_kind=parsed.kind,
            starts_on=parsed.starts_on,
            ends_on=parsed.ends_on,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=action,
            data={"plan": plan.pk, "responsible": positions, "term": parsed.as_json()},
        )
    return action


def plan_indicator_add(
    *, actor: User, action: PlanAction, text: Any, target: Any, measure: Any, filter: Any = None
) -> PlanIndicator:
    plan = action.objective.plan
    policies.require_edit_plans(actor, plan.school_id)
    errors: dict[str, list[str] | str] = {}
    text = _text(errors, "text", text, MAX_TEXT)
    whole = _whole(errors, "target", target)
    cleaned: dict[str, Any] = {}
    try:
        measure = clean_measure(measure)
        cleaned = clean_filter(measure, filter)
    except Invalid as invalid:
        errors |= invalid.fields
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        indicator = PlanIndicator.objects.create(
            action=action, text=text, target=whole, measure=measure, filter=cleaned
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=indicator,
            data={"plan": plan.pk, "measure": measure, "filter": cleaned, "target": whole},
        )
    return indicator


def indicator_value_record(
    *,
    actor: User,
    indicator: PlanIndicator,
    value: Any,
    evidence: Any,
    as_of: datetime.date | None = None,
) -> IndicatorValue:
    """A value of a manual indicator with its evidence, by a holder of one of the action's
    responsible positions; ``as_of`` (default today) within the plan's school year."""
    action = indicator.action
    plan = action.objective.plan
    policies.require_enter_value(actor, list(action.responsible), plan.school_id)
    errors: dict[str, list[str] | str] = {}
    number = _whole(errors, "value", value)
    text = _text(errors, "evidence", evidence, MAX_TEXT)
    day = as_of or timezone.localdate()
    year = parse_school_year(plan.school_year)
    if message := dates.window_error("as_of", day):
        errors["as_of"] = [message]
    elif not year.start <= day <= year.end:
        errors["as_of"] = [
            _("The value's day must fall within the plan's school year %(year)s.")
            % {"year": year.code}
        ]
    if errors:
        raise Invalid(errors)
    if indicator.measure != Measure.MANUAL:
        raise Conflict(
            _(
                "This indicator is counted from the records; values are entered only for manual "
                "ones."
            ),
            code="not_manual",
        )
    with transaction.atomic():
        entered = IndicatorValue.objects.create(
            indicator=indicator, value=number, evidence=text, as_of=day, entered_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=entered,
            data={"plan": plan.pk, "indicator": indicator.pk, "value": number},
        )
    return entered
