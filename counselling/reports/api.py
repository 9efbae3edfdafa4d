"""``/api/reports/``: counselling reports and their circuit."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.mixins import AuditedListMixin
from casework.api.parsing import body, required_int
from casework.errors import NotFound
from casework.roles import actor_of
from counselling.models import Report, ReportKind
from counselling.reports import policies, services
from counselling.reports.export import report_file_response, shown_content
from counselling.reports.selectors import report_get_for_user, reports_visible_to
from plans.selectors import plan_get_for_user


class ReportSerializer(serializers.ModelSerializer[Report]):
    author = serializers.IntegerField(source="author_id", read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True, allow_null=True)
    registration = serializers.CharField(read_only=True, allow_null=True)
    analysis = serializers.CharField(source="analysis_note", read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period",
            "plan",
            "status",
            "author",
            "registration",
            "registered_on",
            "approved_on",
            "content",
            "narrative",
            "remarks",
            "analysis",
        ]
        read_only_fields = fields

    def get_content(self, report: Report) -> dict[str, Any]:
        return shown_content(report)


class ReportListSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = [f for f in ReportSerializer.Meta.fields if f != "content"]
        read_only_fields = fields


NEW_REPORT = inline_serializer(
    "NewReport",
    {
        "kind": serializers.ChoiceField(choices=ReportKind.choices),
        "period": serializers.CharField(
            help_text="a semester 2025-2026/1 (1 September-31 January), 2025-2026/2 "
            "(1 February-31 August), or a school year 2025-2026"
        ),
        "plan": serializers.IntegerField(required=False),
    },
)


class ReportListView(AuditedListMixin, generics.ListAPIView[Report]):
    """Your reports; the school's submitted ones for its career counsellors, deputy director,
    director and quality commission."""

    serializer_class = ReportListSerializer
    audit_object_type = "report"

    def get_queryset(self) -> QuerySet[Report]:
        return reports_visible_to(actor_of(self.request)).order_by("-created_at", "-id")

    @extend_schema(
        request=NEW_REPORT,
        responses={201: ReportSerializer},
        examples=[
            OpenApiExample(
                "A study counsellor's report of a semester",
                value={"kind": "counselling_semester", "period": "2026-2027/1"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = body(request)
        actor = actor_of(request)
        # The plan is resolved first: one the caller may not see is 404, as in the path.
        plan = (
            plan_get_for_user(actor, required_int(data, "plan"), audit=False)
            if data.get("plan") not in (None, "")
            else None
        )
        report = services.report_draft(
            actor=actor,
            kind=str(data.get("kind") or ""),
            period=str(data.get("period") or ""),
            plan=plan,
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


NARRATIVE = inline_serializer("ReportNarrative", {"narrative": serializers.CharField()})


class ReportDetailView(APIView):
    @extend_schema(responses={200: ReportSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReportSerializer(report_get_for_user(actor_of(request), pk)).data)

    @extend_schema(request=NARRATIVE, responses={200: ReportSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        report = report_get_for_user(actor_of(request), pk, audit=False)
        policies.require_author(actor_of(request), report)
        report = services.report_edit(
            actor=actor_of(request), report=report, narrative=body(request).get("narrative", "")
        )
        return Response(ReportSerializer(report).data)


STEP = inline_serializer(
    "ReportStep",
    {
        "note": serializers.CharField(required=False),
        "remarks": serializers.CharField(required=False),
    },
)


class ReportStepView(APIView):
    """``submit`` (the author), ``register``, ``analyse`` {"note"}, ``approve``, ``return``
    {"remarks"} (the receiver)."""

    @extend_schema(request=STEP, responses={200: ReportSerializer}, operation_id="reports_step")
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in services.ACTIONS:
            raise NotFound()
        actor = actor_of(request)
        report = report_get_for_user(actor, pk, audit=False)
        data = body(request)
        extra: dict[str, Any] = {}
        if action == "analyse":
            extra["note"] = data.get("note")
        elif action == "return":
            extra["remarks"] = data.get("remarks")
        report = services.ACTIONS[action](actor=actor, report=report, **extra)
        return Response(ReportSerializer(report).data)


@extend_schema(responses={(200, "application/pdf"): bytes})
class ReportFileView(APIView):
    """The report as PDF or XLSX, with its registration and approval."""

    fmt = "pdf"

    def get(self, request: Request, pk: int) -> HttpResponse:
        report = report_get_for_user(actor_of(request), pk, audit=False)
        return report_file_response(report, actor_of(request), self.fmt)
