from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casework.models import ClosingReview, Consent, Contact, Student, User


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


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    recipient_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    recipient_contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.filter(active=True), required=False, allow_null=True
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "case",
            "scope",
            "given_by",
            "given_by_name",
            "recipient_user",
            "recipient_contact",
            "purpose",
            "given_on",
            "recorded_by",
            "recorded_at",
            "active",
            "withdrawn_at",
            "withdrawal_note",
        ]
        read_only_fields = [
            "id",
            "case",
            "recorded_by",
            "recorded_at",
            "active",
            "withdrawn_at",
            "withdrawal_note",
        ]


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
