"""Action plans over the API (DESIGN.md, "Action plans"): ``/api/plans/``, their objectives,
actions, indicators and the values of manual indicators."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.mixins import AuditedListMixin
from casework.api.parsing import body
from casework.errors import Invalid
from casework.models import PositionKind
from casework.roles import actor_of
from plans import policies, selectors, services
from plans.models import (
    ActionPlan,
    IndicatorValue,
    Measure,
    PlanAction,
    PlanIndicator,
    PlanObjective,
)

STATUSES = ["not_started", "on_track", "at_risk", "achieved", "missed"]
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-09"}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": ["annual", "during_year"]},
            {
                "type": "object",
                "properties": {"from": MONTH, "to": MONTH},
                "required": ["from", "to"],
            },
        ]
    }
)
class TermField(serializers.JSONField):
    """An action's term: months of the school year, or the whole year."""


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    indicator = serializers.IntegerField(source="indicator_id", read_only=True)
    entered_by = serializers.IntegerField(source="entered_by_id", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "value", "evidence", "as_of", "entered_by"]
        read_only_fields = fields


class PlanIndicatorSerializer(serializers.ModelSerializer[PlanIndicator]):
    measure = serializers.ChoiceField(choices=Measure.choices, read_only=True)
    filter = serializers.DictField(read_only=True)
    achieved = serializers.IntegerField(read_only=True, default=0)
    status = serializers.ChoiceField(choices=STATUSES, read_only=True, default="not_started")
    evidence = serializers.DictField(child=serializers.IntegerField(), read_only=True, default={})
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = PlanIndicator
        fields = ["id", "text", "measure", "filter", "target", "achieved", "status"]
        fields += ["evidence", "values"]
        read_only_fields = fields


class PlanActionSerializer(serializers.ModelSerializer[PlanAction]):
    objective = serializers.IntegerField(source="objective_id", read_only=True)
    responsible = serializers.ListField(
        child=serializers.ChoiceField(choices=PositionKind.choices), read_only=True
    )
    term = TermField(source="term.as_json", read_only=True)
    indicators = PlanIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "objective", "number", "text", "responsible", "term"]
        fields += ["starts_on", "ends_on", "indicators"]
        read_only_fields = fields


class PlanObjectiveSerializer(serializers.ModelSerializer[PlanObjective]):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanObjective
        fields = ["id", "plan", "number", "text", "actions"]
        read_only_fields = fields


class PlanListSerializer(serializers.ModelSerializer[ActionPlan]):
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "title", "school_year", "template", "created_by", "created_at"]
        read_only_fields = fields


class PlanSerializer(PlanListSerializer):
    objectives = PlanObjectiveSerializer(many=True, read_only=True, source="tree")

    class Meta(PlanListSerializer.Meta):
        fields = [*PlanListSerializer.Meta.fields, "objectives"]
        read_only_fields = fields


def _plan_json(plan: ActionPlan) -> dict[str, Any]:
    plan.tree = selectors.plan_tree(plan)  # type: ignore[attr-defined]
    return dict(PlanSerializer(plan).data)


NEW_PLAN = inline_serializer(
    "NewActionPlan",
    {
        "title": serializers.CharField(required=False, max_length=200),
        "school_year": serializers.CharField(help_text="2025-2026: 1 September to 31 August"),
        "template": serializers.ChoiceField(choices=["student_mobility"], required=False),
    },
)


class PlanListView(AuditedListMixin, generics.ListAPIView[ActionPlan]):
    """The action plans of your school (all its staff read them); made by its director, deputy
    directors and the office's coordinators, blank or from the seed's mobility template."""

    serializer_class = PlanListSerializer
    audit_object_type = "actionplan"

    def get_queryset(self) -> QuerySet[ActionPlan]:
        return selectors.plans_visible_to(actor_of(self.request)).order_by("-school_year", "id")

    @extend_schema(
        request=NEW_PLAN,
        responses={201: PlanSerializer},
        operation_id="plans_create",
        examples=[
            OpenApiExample(
                "The mobility plan of a school year",
                value={"template": "student_mobility", "school_year": "2025-2026"},
                request_only=True,
            ),
            OpenApiExample(
                "A blank plan",
                value={"title": "Planul de prevenire a abandonului", "school_year": "2025-2026"},
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        policies.require_edit_plans(actor)
        data = body(request)
        plan = services.plan_create(
            actor=actor,
            title=data.get("title", ""),
            school_year=data.get("school_year"),
            template=data.get("template"),
        )
        return Response(_plan_json(plan), status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    """A plan with its objectives, actions and indicators, each indicator's ``achieved`` counted
    live from the records dated within its action's term, and its ``status``."""

    @extend_schema(responses={200: PlanSerializer}, operation_id="plans_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(_plan_json(selectors.plan_get_for_user(actor_of(request), pk)))


NEW_OBJECTIVE = inline_serializer("NewPlanObjective", {"text": serializers.CharField()})


class PlanObjectiveView(APIView):
    @extend_schema(
        request=NEW_OBJECTIVE,
        responses={201: PlanObjectiveSerializer},
        operation_id="plans_objectives_create",
        examples=[
            OpenApiExample(
                "An objective",
                value={"text": "Creșterea nivelului de informare a elevilor."},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        plan = selectors.plan_get_for_user(actor, pk, audit=False)
        policies.require_edit_plans(actor, plan.school_id)
        objective = services.plan_objective_add(
            actor=actor, plan=plan, text=body(request).get("text")
        )
        return Response(PlanObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)


NEW_ACTION = inline_serializer(
    "NewPlanAction",
    {
        "text": serializers.CharField(),
        "responsible": serializers.ListField(
            child=serializers.ChoiceField(choices=PositionKind.choices)
        ),
        "term": TermField(
            help_text='{"from": "2025-09", "to": "2025-10"} (months of the plan\'s school '
            'year), "annual" or "during_year"'
        ),
    },
)


class PlanActionView(APIView):
    @extend_schema(
        request=NEW_ACTION,
        responses={201: PlanActionSerializer},
        operation_id="plan_objectives_actions_create",
        examples=[
            OpenApiExample(
                "An action of September and October",
                value={
                    "text": "Organizarea activităților de informare a elevilor.",
                    "responsible": ["deputy_director", "form_tutor"],
                    "term": {"from": "2025-09", "to": "2025-10"},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        objective = selectors.objective_get_for_user(actor, pk)
        policies.require_edit_plans(actor, objective.plan.school_id)
        data = body(request)
        action = services.plan_action_add(
            actor=actor,
            objective=objective,
            text=data.get("text"),
            responsible=data.get("responsible"),
            term=data.get("term"),
        )
        return Response(PlanActionSerializer(action).data, status=status.HTTP_201_CREATED)


NEW_INDICATOR = inline_serializer(
    "NewPlanIndicator",
    {
        "text": serializers.CharField(),
        "target": serializers.IntegerField(min_value=1),
        "measure": serializers.ChoiceField(choices=Measure.choices),
        "filter": serializers.DictField(
            required=False, help_text='keys per measure: docs/PLANS.md, e.g. {"topic": "mobility"}'
        ),
    },
)


class PlanIndicatorView(APIView):
    @extend_schema(
        request=NEW_INDICATOR,
        responses={201: PlanIndicatorSerializer},
        operation_id="plan_actions_indicators_create",
        examples=[
            OpenApiExample(
                "Two information activities with an attendance list",
                value={
                    "text": "min. 2 activități de informare; listă de prezență",
                    "target": 2,
                    "measure": "activities",
                    "filter": {"topic": "mobility", "with_attendance": True},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        action = selectors.action_get_for_user(actor, pk)
        policies.require_edit_plans(actor, action.objective.plan.school_id)
        data = body(request)
        indicator = services.plan_indicator_add(
            actor=actor,
            action=action,
            text=data.get("text"),
            target=data.get("target"),
            measure=data.get("measure"),
            filter=data.get("filter"),
        )
        indicator = selectors.indicator_counted(indicator)
        return Response(PlanIndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)


NEW_VALUE = inline_serializer(
    "NewIndicatorValue",
    {
        "value": serializers.IntegerField(min_value=1),
        "evidence": serializers.CharField(help_text="what shows it: a text, a link"),
        "as_of": serializers.DateField(
            required=False, help_text="the day of the value (default today)"
        ),
    },
)


def _as_of(raw: Any) -> datetime.date | None:
    if raw in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise Invalid({"as_of": _("Give a date as YYYY-MM-DD.")}) from None


class IndicatorValueView(APIView):
    @extend_schema(
        request=NEW_VALUE,
        responses={201: IndicatorValueSerializer},
        operation_id="plan_indicators_values_create",
        examples=[
            OpenApiExample(
                "A material published on the school's site",
                value={
                    "value": 1,
                    "evidence": "https://example.org/mobilitate-2025",
                    "as_of": "2025-10-15",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        indicator = selectors.indicator_get_for_user(actor, pk)
        action = indicator.action
        policies.require_enter_value(
            actor, list(action.responsible), action.objective.plan.school_id
        )
        data = body(request)
        entered = services.indicator_value_record(
            actor=actor,
            indicator=indicator,
            value=data.get("value"),
            evidence=data.get("evidence"),
            as_of=_as_of(data.get("as_of")),
        )
        return Response(IndicatorValueSerializer(entered).data, status=status.HTTP_201_CREATED)
