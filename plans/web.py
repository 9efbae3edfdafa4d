"""The outcomes page ("Rezultate"): the key figures, retention of flagged students against the
unflagged, and the effectiveness grid, for the same readers as the API."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.models import Contact, Function, RiskLevel, School, Stage, User
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors
from plans import outcomes, policies
from plans.periods import period_of
from support.kinds import Kind


def intervention_label(key: str) -> str:
    source, _sep, name = key.partition(":")
    if source == "function" and name in Function.values:
        return str(Function(name).label)
    if source == "referral":
        if name in Contact.Kind.values:
            kind = str(Contact.Kind(name).label)
        else:
            kind = _("a support network member")
        return _("Referral: %(kind)s") % {"kind": kind}
    if source == "opportunity" and name in Kind.values:
        return str(Kind(name).label)
    return key


def risk_label(level: str) -> str:
    return str(RiskLevel(level).label) if level in RiskLevel.values else _("not recorded")


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


@domain_errors
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    user: User = actor_of(request)
    policies.require_read_outcomes(user)
    school = cast(School, user.school)  # a reader belongs to a school (the policy)
    period = period_of(request.GET)
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
        {"label": Stage(stage).label, **figures} for stage, figures in kpis["time_in_stage"].items()
    ]
    return render(
        request,
        "plans/outcomes.html",
        {
            "period": period,
            "kpis": kpis,
            "stages": stages,
            "closure_percent": _percent(kpis["closure"]["rate"]),
            "retention": _retention_rows(kpis["retention"]),
            "grid": grid,
        },
    )
