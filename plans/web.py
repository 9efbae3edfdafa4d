"""The outcomes dashboard ("Rezultate"): the key figures, retention of flagged students against
the unflagged, time in each step and the effectiveness grid, each as a chart drawn on the server
with its numbers in a table beside it, and the same figures as a workbook; for the same readers
as the API."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.errors import Invalid
from casework.models import School, User
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors
from plans import charts, outcomes, policies
from plans.export import outcomes_response
from plans.labels import intervention_label, risk_label, stage_label
from plans.periods import period_of


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


def _retention_rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for horizon in found:
        for group, label in (("flagged", _("Flagged students")), ("unflagged", _("Not flagged"))):
            tally = horizon[group]
            rows.append(
                {
                    "months": horizon["months"],
                    "group": group,
                    "label": label,
                    "percent": _percent(tally["retention_rate"]),
                    **tally,
                }
            )
    return rows


def _reader(request: HttpRequest) -> tuple[User, School]:
    user: User = actor_of(request)
    policies.require_read_outcomes(user)
    return user, cast(School, user.school)  # a reader belongs to a school (the policy)


@domain_errors
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    user, school = _reader(request)
    errors: dict[str, list[str]] = {}
    try:
        period = period_of(request.GET)
    except Invalid as invalid:
        # The figures of the default period, the reader's dates kept with what is wrong.
        errors = {name: list(messages) for name, messages in invalid.fields.items()}
        period = period_of({})
    kpis = outcomes.kpis(school, period)
    grid = outcomes.effectiveness(school, period)
    audit_list(
        actor=user,
        object_type="outcomes",
        ids=[],
        report="page",
        **{"from": kpis["from"], "to": kpis["to"]},
    )
    for cell in grid["cells"]:
        cell["intervention_label"] = intervention_label(cell["intervention"])
        cell["risk_label"] = risk_label(cell["risk_level"])
    stages = [
        {"label": stage_label(stage), **figures} for stage, figures in kpis["time_in_stage"].items()
    ]
    return render(
        request,
        "plans/outcomes.html",
        {
            "period": period,
            "period_errors": errors,
            "period_input": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
            "kpis": kpis,
            "stages": stages,
            "closure_percent": _percent(kpis["closure"]["rate"]),
            "retention": _retention_rows(kpis["retention"]),
            "grid": grid,
            "charts": {
                "closure": charts.closure_chart(kpis["closure"]),
                "time": charts.time_chart(kpis["time_to_triage"], stages),
                "retention": charts.retention_chart(kpis["retention"]),
                "effectiveness": charts.effectiveness_chart(grid["cells"]),
            },
        },
        status=400 if errors else 200,
    )


@domain_errors
@require_GET
def outcomes_export(request: HttpRequest) -> HttpResponse:
    """The page's figures for the same period, as a workbook."""
    user, school = _reader(request)
    return outcomes_response(school=school, period=period_of(request.GET), actor=user)
