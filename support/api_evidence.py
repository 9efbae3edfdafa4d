"""``/api/objectives/{id}/evidence/``: a completed placement or mobility of the case, linked to
the case, given as the evidence of one of its SMART objectives (DESIGN.md, "Partners and
opportunities")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.parsing import body, required_int
from casework.errors import Invalid
from casework.models import Objective
from casework.roles import actor_of
from casework.selectors import get_for_user
from support import selectors, services
from support.models import ObjectiveEvidence
from workflows import policies as workflow_policies


class ObjectiveEvidenceSerializer(serializers.ModelSerializer[ObjectiveEvidence]):
    opportunity = serializers.IntegerField(source="participation.opportunity_id", read_only=True)
    kind = serializers.CharField(source="participation.opportunity.kind", read_only=True)
    title = serializers.CharField(source="participation.opportunity.title", read_only=True)
    completed_on = serializers.DateField(source="participation.completed_on", read_only=True)

    class Meta:
        model = ObjectiveEvidence
        fields = [
            "id",
            "objective",
            "participation",
            "opportunity",
            "kind",
            "title",
            "completed_on",
            "linked_by",
            "linked_at",
        ]
        read_only_fields = fields


EVIDENCE_REQUEST = inline_serializer(
    "ObjectiveEvidenceRequest", {"participation": serializers.IntegerField(min_value=1)}
)


class ObjectiveEvidenceView(APIView):
    """GET lists an objective's evidence; POST ``{"participation"}`` links a completed
    participation of the case (coordinators, the owner, holders of the case's tasks)."""

    def _objective(self, request: Request, pk: int) -> Objective:
        objective: Objective = get_for_user(actor_of(request), Objective, pk)
        return objective

    @extend_schema(
        operation_id="objective_evidence_list",
        responses={200: ObjectiveEvidenceSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        objective = self._objective(request, pk)
        found = ObjectiveEvidence.objects.filter(objective=objective).select_related(
            "participation__opportunity"
        )
        return Response(ObjectiveEvidenceSerializer(found, many=True).data)

    @extend_schema(
        operation_id="objective_evidence_add",
        request=EVIDENCE_REQUEST,
        responses={201: ObjectiveEvidenceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        objective = self._objective(request, pk)
        workflow_policies.require_review_objective(user, objective)
        raw: Any = required_int(body(request), "participation")
        participation = selectors.participations_visible_to(user).filter(pk=raw).first()
        if participation is None:
            raise Invalid({"participation": [_("No such participation.")]})
        evidence = services.objective_evidence_add(
            objective=objective, participation=participation, actor=user
        )
        return Response(ObjectiveEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
