"""What those responsible for a plan's action are told: that its term began, and, once, that
one of its indicators is at risk (Celery beat runs ``plan_reminders_send``; plans/tasks.py).

The people are the active staff of the plan's school who hold one of the action's responsible
positions today. Safe to run in several workers at once: an action (an indicator) is claimed
with a conditional UPDATE of its stamp before anything is sent, so it is told once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework.models import School, User
from casework.positions import holders_of_any
from plans.achieved import count_indicators
from plans.models import ActionPlan, PlanAction, PlanIndicator
from workflows.models import Notification
from workflows.notify import notify

# How much of an action's or an indicator's text a notification carries.
EXCERPT = 80


def responsible_holders(school: School, positions: list[str]) -> QuerySet[User]:
    return holders_of_any(school, positions)


def _about(action: PlanAction) -> dict[str, Any]:
    plan = action.objective.plan
    return {
        "plan": plan.pk,
        "plan_title": str(plan),
        "action": action.pk,
        "number": action.number,
        "text": action.text[:EXCERPT],
    }


def _terms_started(now: datetime.datetime, today: datetime.date) -> int:
    started = PlanAction.objects.filter(
        term_notified_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    ).select_related("objective__plan__school")
    sent = 0
    for action in started:
        with transaction.atomic():
            if not PlanAction.objects.filter(pk=action.pk, term_notified_at__isnull=True).update(
                term_notified_at=now
            ):
                continue
            notify(
                recipients=responsible_holders(action.objective.plan.school, action.responsible),
                kind=Notification.Kind.PLAN_TERM_STARTED,
                data={**_about(action), "ends_on": action.ends_on.isoformat()},
            )
            sent += 1
    return sent


def _at_risk(now: datetime.datetime, today: datetime.date) -> int:
    # Only within its term can an indicator be at risk (plans/achieved.py, status_of).
    waiting = PlanIndicator.objects.filter(
        at_risk_notified_at__isnull=True, action__starts_on__lte=today, action__ends_on__gte=today
    ).select_related("action__objective__plan__school")
    by_plan: dict[int, list[PlanIndicator]] = defaultdict(list)
    plans: dict[int, ActionPlan] = {}
    for indicator in waiting:
        plan = indicator.action.objective.plan
        plans[plan.pk] = plan
        by_plan[plan.pk].append(indicator)
    sent = 0
    for pk, indicators in by_plan.items():
        counted = count_indicators(plans[pk], indicators, today)
        for indicator in indicators:
            found = counted[indicator.pk]
            if found["status"] != "at_risk":
                continue
            with transaction.atomic():
                if not PlanIndicator.objects.filter(
                    pk=indicator.pk, at_risk_notified_at__isnull=True
                ).update(at_risk_notified_at=now):
                    continue
                action = indicator.action
                notify(
                    recipients=responsible_holders(plans[pk].school, action.responsible),
                    kind=Notification.Kind.PLAN_AT_RISK,
                    data={
                        **_about(action),
                        "indicator": indicator.pk,
                        "indicator_text": indicator.text[:EXCERPT],
                        "achieved": found["achieved"],
                        "target": indicator.target,
                    },
                )
                sent += 1
    return sent


def plan_reminders_send(now: Any = None) -> int:
    """Tell those responsible of every action whose term began and of every indicator that
    turned at risk; returns how many actions and indicators were told about."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return _terms_started(now, today) + _at_risk(now, today)
