"""Structured assessments of a case: the three forms, recorded at the start and at closing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, selectors
from casework.models import Assessment
from casework.models.plan import ASSESSMENT_ITEMS, SCORE_MAX, SCORE_MIN
from casework.roles import actor_of
from casework.services.assessments import assessment_record, assessment_update


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    scores = serializers.JSONField()
    total = serializers.IntegerField(read_only=True)
    average = serializers.FloatField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "area",
            "phase",
            "scores",
            "total",
            "average",
            "notes",
            "assessed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "case",
            "total",
            "average",
            "assessed_by",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []  # one per case, area and phase: the service answers 409


class AssessmentUpdateSerializer(serializers.Serializer[Any]):
    scores = serializers.JSONField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=8000)


def _scores_schema(area: str) -> dict[str, Any]:
    codes = [code for code, _ in ASSESSMENT_ITEMS[area]]
    score = {"type": "integer", "minimum": SCORE_MIN, "maximum": SCORE_MAX}
    return {
        "type": "object",
        "properties": {code: score for code in codes},
        "required": codes,
        "additionalProperties": False,
    }


def _assessment_body(*, create: bool) -> dict[str, Any]:
    """The body in the schema: each area's form has its own items, all scored (one of)."""
    if not create:
        return {
            "type": "object",
            "properties": {
                "scores": {"oneOf": [_scores_schema(area) for area in ASSESSMENT_ITEMS]},
                "notes": {"type": "string", "maxLength": 8000},
            },
        }
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "area": {"type": "string", "enum": [str(area)]},
                    "phase": {"type": "string", "enum": list(Assessment.Phase.values)},
                    "scores": _scores_schema(area),
                    "notes": {"type": "string", "maxLength": 8000},
                },
                "required": ["area", "phase", "scores"],
            }
            for area in ASSESSMENT_ITEMS
        ]
    }


@extend_schema_view(
    post=extend_schema(
        request={"application/json": _assessment_body(create=True)},
        responses={201: AssessmentSerializer},
    )
)
class CaseAssessmentListView(generics.ListCreateAPIView[Assessment]):
    serializer_class = AssessmentSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Assessment]:
        case = selectors.case_get_for_user(actor_of(self.request), self.kwargs["pk"])
        return Assessment.objects.filter(case=case)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = selectors.case_get_for_user(actor_of(request), kwargs["pk"])
        policies.require_assess_something(actor_of(request), case)
        serializer = AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = assessment_record(
            case=case, actor=actor_of(request), **serializer.validated_data
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetailView(generics.GenericAPIView[Assessment]):
    serializer_class = AssessmentUpdateSerializer

    def _get(self, request: Request, pk: int) -> Assessment:
        assessment: Assessment = selectors.get_for_user(actor_of(request), Assessment, pk)
        return assessment

    @extend_schema(responses={200: AssessmentSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(AssessmentSerializer(self._get(request, pk)).data)

    @extend_schema(
        request={"application/json": _assessment_body(create=False)},
        responses={200: AssessmentSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        assessment = self._get(request, pk)
        policies.require_assessment_author(actor_of(request), assessment.assessed_by_id)
        serializer = AssessmentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = assessment_update(
            assessment=assessment, actor=actor_of(request), **serializer.validated_data
        )
        return Response(AssessmentSerializer(assessment).data)


class AssessmentFormsView(generics.GenericAPIView[Assessment]):
    """The three forms: their items, each scored 1 (serious difficulty) to 5 (doing well)."""

    serializer_class = AssessmentSerializer

    def get(self, request: Request) -> Response:
        return Response(
            {
                "scale": {"min": SCORE_MIN, "max": SCORE_MAX},
                "areas": {
                    str(area): [{"item": code, "label": str(label)} for code, label in items]
                    for area, items in ASSESSMENT_ITEMS.items()
                },
            }
        )
