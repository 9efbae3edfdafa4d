"""The outcomes over the API: ``GET /api/office/kpis/``, ``GET /api/office/effectiveness/`` and
both as a workbook, ``GET /api/office/kpis.xlsx``."""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import School, User
from casework.roles import actor_of
from casework.services.audit import audit_list
from plans import outcomes, policies
from plans.export import outcomes_response
from plans.periods import period_of
from support.export import XLSX

PERIOD_PARAMETERS = [
    OpenApiParameter("from", str, description="cases flagged on or after this day (YYYY-MM-DD)"),
    OpenApiParameter("to", str, description="cases flagged on or before this day (YYYY-MM-DD)"),
]


def _reader(request: Request) -> tuple[User, School]:
    user = actor_of(request)
    policies.require_read_outcomes(user)
    return user, cast(School, user.school)  # a reader belongs to a school (the policy)


class KpisView(APIView):
    """Time to triage, time in each stage, closure rate, objectives met and retention, for the
    cases of your school flagged in the period (default: the last 365 days)."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        user, school = _reader(request)
        period = period_of(request.query_params)
        found = outcomes.kpis(school, period)
        audit_list(actor=user, object_type="outcomes", ids=[], report="kpis", **found_period(found))
        return Response(found)


class EffectivenessView(APIView):
    """Outcome a year after flagging, per intervention and risk level at flagging; cells of
    fewer than 5 students are suppressed."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        user, school = _reader(request)
        period = period_of(request.query_params)
        found = outcomes.effectiveness(school, period)
        audit_list(
            actor=user,
            object_type="outcomes",
            ids=[],
            report="effectiveness",
            **found_period(found),
        )
        return Response(found)


class OutcomesExportView(APIView):
    """The key figures, retention, time in each step and the effectiveness grid of the period,
    as an XLSX workbook (one sheet each), in the language asked for."""

    @extend_schema(
        operation_id="office_kpis_xlsx",
        parameters=PERIOD_PARAMETERS,
        responses={(200, XLSX): bytes},
    )
    def get(self, request: Request) -> HttpResponse:
        user, school = _reader(request)
        period = period_of(request.query_params)
        return outcomes_response(school=school, period=period, actor=user)


def found_period(found: dict[str, object]) -> dict[str, object]:
    return {"from": found["from"], "to": found["to"]}
