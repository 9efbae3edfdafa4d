from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casework.models import Case, CaseEvent, Function, Objective, User


class CaseFlagSerializer(serializers.Serializer[Any]):
    student = serializers.IntegerField()
    reason = serializers.CharField(max_length=4000)
    functions = serializers.ListField(
        child=serializers.ChoiceField(choices=Function.choices), allow_empty=False
    )

    def validate_functions(self, value: list[str]) -> list[str]:
        # Canonical order, no repeats: the order of the four functions in the seed document.
        return [f for f in Function.values if f in value]


class TransitionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    cancel_open_tasks = serializers.BooleanField(required=False, default=False)


class TimelineSerializer(serializers.ModelSerializer[CaseEvent]):
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "name", "actor", "from_stage", "to_stage", "note", "data", "at"]

    def get_actor(self, event: CaseEvent) -> dict[str, Any] | None:
        if event.actor is None:
            return None
        return {"id": event.actor.pk, "name": str(event.actor)}


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    function = serializers.ChoiceField(choices=Function.choices, required=False, allow_blank=True)

    class Meta:
        model = Objective
        fields = [
            "id",
            "case",
            "description",
            "indicator",
            "baseline",
            "target",
            "deadline",
            "function",
            "owner",
            "status",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "case", "status", "created_by", "created_at"]


class StudentBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    class_name = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer[Case]):
    student_info = StudentBriefSerializer(source="student", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "stage",
            "student",
            "student_info",
            "functions",
            "flagged_by",
            "opened_at",
            "stage_changed_at",
        ]


class CaseDetailSerializer(CaseListSerializer):
    timeline = TimelineSerializer(source="events", many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    tasks = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "reason",
            "shared_at",
            "closed_at",
            "previous_case",
            "timeline",
            "objectives",
            "tasks",
        ]

    def get_tasks(self, case: Case) -> list[dict[str, Any]]:
        return list(self.context.get("tasks", []))
