"""Reads of action plans: who sees which (the school's staff, their own school's), one
permission-checked fetch per kind, and a plan with every indicator counted."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from casework.errors import NotFound
from casework.models import AuditEvent, User
from casework.selectors import pk_or_not_found
from casework.services.audit import audit_record
from plans import policies
from plans.achieved import count_indicators
from plans.models import (
    ActionPlan,
    IndicatorValue,
    PlanAction,
    PlanIndicator,
    PlanObjective,
)


def plans_visible_to(user: User) -> QuerySet[ActionPlan]:
    if not policies.can_read_plans(user) or user.school_id is None:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(school_id=user.school_id)


def plan_get_for_user(user: User, pk: Any, *, audit: bool = True) -> ActionPlan:
    plan = plans_visible_to(user).filter(pk=pk_or_not_found(pk)).first()
    if plan is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=plan)
    return plan


def objective_get_for_user(user: User, pk: Any) -> PlanObjective:
    found = (
        PlanObjective.objects.filter(plan__in=plans_visible_to(user), pk=pk_or_not_found(pk))
        .select_related("plan")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def action_get_for_user(user: User, pk: Any) -> PlanAction:
    found = (
        PlanAction.objects.filter(
            objective__plan__in=plans_visible_to(user), pk=pk_or_not_found(pk)
        )
        .select_related("objective__plan")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def indicator_get_for_user(user: User, pk: Any) -> PlanIndicator:
    found = (
        PlanIndicator.objects.filter(
            action__objective__plan__in=plans_visible_to(user), pk=pk_or_not_found(pk)
        )
        .select_related("action__objective__plan")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def plan_tree(plan: ActionPlan, today: datetime.date | None = None) -> list[PlanObjective]:
    """The plan's objectives, each with ``actions`` and each action with ``indicators``, every
    indicator carrying ``achieved``, ``status``, ``evidence`` and its manual ``values`` —
    counted for the whole plan at once (a fixed number of queries, plans/achieved.py)."""
    today = today or timezone.localdate()
    objectives = list(
        PlanObjective.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "actions",
                PlanAction.objects.prefetch_related(
                    Prefetch(
                        "indicators",
                        PlanIndicator.objects.prefetch_related(
                            Prefetch("values", IndicatorValue.objects.order_by("-as_of", "-id"))
                        ),
                    )
                ),
            )
        )
    )
    indicators = []
    for objective in objectives:
        for action in objective.actions.all():
            for indicator in action.indicators.all():
                indicator.action = action  # already loaded: no query per indicator
                indicators.append(indicator)
    counted = count_indicators(plan, indicators, today)
    for indicator in indicators:
        for key, value in counted[indicator.pk].items():
            setattr(indicator, key, value)
    return objectives


def indicator_counted(
    indicator: PlanIndicator, today: datetime.date | None = None
) -> PlanIndicator:
    """One indicator with its ``achieved``, ``status`` and ``evidence``."""
    counted = count_indicators(
        indicator.action.objective.plan, [indicator], today or timezone.localdate()
    )[indicator.pk]
    for key, value in counted.items():
        setattr(indicator, key, value)
    return indicator


def plan_monitoring_content(plan: ActionPlan, today: datetime.date | None = None) -> dict[str, Any]:
    """What a plan monitoring report says: every indicator, target against achieved, with its
    status and the evidence counted (how many activities, students, records, values)."""
    rows = []
    for objective in plan_tree(plan, today):
        for action in objective.actions.all():
            for indicator in action.indicators.all():
                rows.append(
                    {
                        "objective": objective.number,
                        "action": action.number,
                        "action_text": action.text,
                        "id": indicator.pk,
                        "text": indicator.text,
                        "measure": indicator.measure,
                        "target": indicator.target,
                        "achieved": getattr(indicator, "achieved", 0),
                        "status": getattr(indicator, "status", ""),
                        "evidence": getattr(indicator, "evidence", {}),
                    }
                )
    statuses = ("achieved", "on_track", "at_risk", "missed", "not_started")
    return {
        "plan": {"id": plan.pk, "title": plan.title, "school_year": plan.school_year},
        "indicators": rows,
        "summary": {
            "total": len(rows),
            **{name: sum(1 for row in rows if row["status"] == name) for name in statuses},
        },
    }
