"""The coordinator's dashboard: where the office's cases are and where work is stuck.

Charts are drawn on the server as SVG bars (no script, no CDN), each with a table of its
numbers for screen readers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from casework import policies, selectors
from casework.models import Group, Office, Stage, User
from casework.roles import actor_of
from casework.web.errors import domain_errors
from workflows import selectors as task_selectors
from workflows.agenda import agenda_refresh, reason_text

OVERDUE_SHOWN = 50


def is_coordinator(user: User) -> bool:
    return bool(selectors.coordinated_offices(user))


def _bars(rows: list[tuple[Any, float]], decimals: int = 0) -> list[dict[str, Any]]:
    """Bars as percentages of the longest. A value that shows as 0 gets no bar at all (a
    sliver next to "0.0 days" would say something the number does not); any other value gets
    at least a visible one."""
    shown = [(label, round(value, decimals)) for label, value in rows]
    top = max((value for _, value in shown), default=0) or 1
    return [
        {
            "label": label,
            "value": value,
            "percent": max(round(100 * value / top, 1), 1.0) if value > 0 else 0,
        }
        for label, value in shown
    ]


AGENDA_SHOWN = 8


@require_GET
@domain_errors
def dashboard(request: HttpRequest) -> HttpResponse:
    offices = selectors.coordinated_offices(actor_of(request))
    policies.require_coordinates_an_office(offices)
    office_id = offices[0]
    office = Office.objects.get(pk=office_id)
    cases = selectors.cases_visible_to(actor_of(request)).filter(office_id=office_id)
    per_stage = selectors.cases_per_stage(cases)
    overdue = list(
        task_selectors.overdue(
            task_selectors.tasks_visible_to(actor_of(request)).filter(case__office_id=office_id)
        )
        .select_related("case__student", "task__owner")
        .order_by("due_at", "task_id")[:OVERDUE_SHOWN]
    )
    workload = task_selectors.workload_per_group(actor_of(request), office_id)
    durations = selectors.time_in_stage(cases, timezone.now())
    stage_labels = dict(Stage.choices)
    context = {
        "office": office,
        "stage_bars": _bars([(stage_labels[s], per_stage.get(s, 0)) for s in Stage.values]),
        "open_cases": sum(per_stage.get(s, 0) for s in Stage.values[:4]),
        "overdue": overdue,
        "workload": [
            {
                "group": label,
                "number": int(group),
                **workload.get(int(group), {"unclaimed": 0, "claimed": 0, "overdue": 0}),
            }
            for group, label in Group.choices
        ],
        "duration_bars": [
            {**bar, "cases": durations[stage]["cases"], "longest": durations[stage]["longest"]}
            for bar, stage in zip(
                _bars([(stage_labels[s], durations[s]["average"]) for s in durations], 1),
                durations,
                strict=True,
            )
        ],
    }
    context.update(_next_meeting(actor_of(request), office_id))
    return render(request, "workflows/office_dashboard.html", context)


def _next_meeting(user: User, office_id: int) -> dict[str, Any]:
    """The next meeting and the top of its agenda, with the reasons each case is there."""
    meeting = task_selectors.next_meeting(user, office_id)
    if meeting is None:
        return {"next_meeting": None}
    agenda_refresh(meeting)
    items = list(task_selectors.agenda_items_for(user, meeting)[: AGENDA_SHOWN + 1])
    return {
        "next_meeting": meeting,
        "next_agenda": [
            {"item": item, "reasons": [reason_text(r) for r in item.reasons]}
            for item in items[:AGENDA_SHOWN]
        ],
        "agenda_more": len(items) > AGENDA_SHOWN,
    }
