from __future__ import annotations

from typing import Any

from rest_framework import serializers

from casework.api.dates import date_field
from casework.models import ClosingReview, Consent, Contact, Objective, Student, User
from casework.services.assessments import assessment_change


class StudentSerializer(serializers.ModelSerializer[Student]):
    class Meta:
        model = Student
        fields = [
            "id",
            "code",
            "first_name",
            "last_name",
            "class_name",
            "programme",
            "birth_date",
            "status",
            "left_on",
        ]
        # The enrolment comes from the student import; a student registered here is enrolled.
        read_only_fields = ["id", "status", "left_on"]
        extra_kwargs = {"birth_date": date_field("birth_date")}
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
    """The contract's four fields, the feedback of student, family and staff, what worked, and
    (read-only) how the objectives ended and what changed between the two assessments."""

    objectives_met = ObjectivesMetField()
    objectives = serializers.SerializerMethodField()
    assessment_change = serializers.SerializerMethodField()

    class Meta:
        model = ClosingReview
        fields = [
            "id",
            "case",
            "author",
            "feedback",
            "feedback_student",
            "feedback_family",
            "feedback_staff",
            "objectives_met",
            "impact",
            "lessons_learned",
            "what_worked",
            "objectives",
            "assessment_change",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "case", "author", "created_at", "updated_at"]
        extra_kwargs = {
            name: {"required": False, "allow_blank": True}
            for name in ("feedback_student", "feedback_family", "feedback_staff", "what_worked")
        }

    def get_objectives(self, review: ClosingReview) -> dict[str, int]:
        counts = {status: 0 for status in Objective.Status.values}
        for status in Objective.objects.filter(case_id=review.case_id).values_list(
            "status", flat=True
        ):
            counts[status] += 1
        return counts

    def get_assessment_change(self, review: ClosingReview) -> list[dict[str, Any]]:
        return assessment_change(review.case)


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
        extra_kwargs = {"given_on": date_field("given_on")}


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
