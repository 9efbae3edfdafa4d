from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.api.dates import date_field
from casework.models import Case, CaseEvent, Function, Objective, User
from workflows.models import CaseTask
from workflows.notification_text import notification_message
from workflows.services import case_task_status


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


class KnownRows(serializers.ListSerializer[Any]):
    """A nested list that takes its rows from the context's ``known`` (by field name) when the
    caller has them in hand — the case just opened by the flag — instead of reading the
    relation."""

    def get_attribute(self, instance: Any) -> Any:
        known = self.context.get("known", {})
        if self.field_name in known:
            return known[self.field_name]
        return super().get_attribute(instance)


class TimelineSerializer(serializers.ModelSerializer[CaseEvent]):
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "name", "actor", "from_stage", "to_stage", "note", "data", "at"]
        list_serializer_class = KnownRows

    def get_actor(self, event: CaseEvent) -> dict[str, Any] | None:
        if event.actor is None:
            return None
        return {"id": event.actor.pk, "name": str(event.actor)}


def _text_example(example: str, max_length: int | None) -> Any:
    """A text field whose schema carries an example (the SMART rules relate two fields, which
    JSON Schema cannot say: a baseline and a target that differ)."""
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "example": example}
    if max_length is not None:
        schema["maxLength"] = max_length
    return extend_schema_field(schema)(serializers.CharField)(max_length=max_length)


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    description = _text_example("Attend every workshop session", None)
    indicator = _text_example("Attendance in the workshop (%)", 300)
    baseline = _text_example("60%", 200)
    target = _text_example("90%", 200)
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
        list_serializer_class = KnownRows
        read_only_fields = ["id", "case", "status", "created_by", "created_at"]
        extra_kwargs = {"deadline": date_field("deadline")}


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
        known = self.context.get("known", {})
        case_task: Any = (
            known["tasks"]
            if "tasks" in known
            else CaseTask.objects.filter(case=case)
            .select_related("task")
            .order_by("task__created", "task_id")
        )
        return list(TaskSerializer(case_task, many=True).data)


class TaskSerializer(serializers.Serializer[Any]):
    """A task as the contract gives it: ``{"id","case","name","group","status","owner","due"}``."""

    id = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="case_id")
    name = serializers.CharField()
    title = serializers.CharField(source="display_title")
    group = serializers.IntegerField()
    groups = serializers.ListField(child=serializers.IntegerField())
    status = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    due = serializers.DateTimeField(source="due_at")
    overdue = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="task.created")
    claimed_at = serializers.DateTimeField(source="task.assigned", allow_null=True)
    finished_at = serializers.DateTimeField(source="task.finished", allow_null=True)

    def get_status(self, case_task: Any) -> str:
        return case_task_status(case_task.task)

    def get_owner(self, case_task: Any) -> int | None:
        owner_id: int | None = case_task.task.owner_id
        return owner_id

    def get_overdue(self, case_task: Any) -> bool:
        from django.utils import timezone

        return bool(
            self.get_status(case_task) in ("open", "claimed") and case_task.due_at < timezone.now()
        )


class TaskReassignSerializer(serializers.Serializer[Any]):
    to = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class NotificationSerializer(serializers.Serializer[Any]):
    def to_representation(self, instance: Any) -> dict[str, Any]:
        message: dict[str, Any] = notification_message(instance)
        return message
