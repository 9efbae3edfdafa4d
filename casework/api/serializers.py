from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casework.models import ClosingReview, Student


class StudentSerializer(serializers.ModelSerializer[Student]):
    class Meta:
        model = Student
        fields = ["id", "code", "first_name", "last_name", "class_name", "programme", "birth_date"]
        read_only_fields = ["id"]
        # Uniqueness per school is checked by the service, which knows the school.
        validators: list[Any] = []


class ObjectivesMetField(serializers.ChoiceField):
    """``all``/``partly``/``none``; a plain yes/no (true/false) is accepted as all/none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ClosingReview.ObjectivesMet.choices, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if data is True or data in ("true", "yes"):
            data = ClosingReview.ObjectivesMet.ALL
        elif data is False or data in ("false", "no"):
            data = ClosingReview.ObjectivesMet.NONE
        return str(super().to_internal_value(data))


class ClosingReviewSerializer(serializers.ModelSerializer[ClosingReview]):
    objectives_met = ObjectivesMetField()

    class Meta:
        model = ClosingReview
        fields = [
            "id",
            "case",
            "author",
            "feedback",
            "objectives_met",
            "impact",
            "lessons_learned",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "case", "author", "created_at", "updated_at"]
