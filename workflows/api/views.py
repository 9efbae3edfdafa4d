"""The case API: flag, read, move through the stages, plan objectives.

Thin views: fetch through the selectors (404), check the role (403), validate (400), then call
the workflows service (409 for state and races).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, selectors
from casework.api.library_serializers import LibraryDraftSerializer
from casework.api.mixins import AuditedListMixin
from casework.api.parsing import body, required_int
from casework.errors import NotFound
from casework.models import Case, CaseEvent, LibraryEntry, Objective, ObjectiveReview
from casework.models.case import TRANSITIONS
from casework.roles import actor_of
from casework.services.audit import ReadInChange
from workflows import lifecycle, services
from workflows import policies as workflow_policies
from workflows.api.serializers import (
    CaseDetailSerializer,
    CaseFlagSerializer,
    CaseListSerializer,
    ObjectiveSerializer,
    TransitionSerializer,
)


def _case_detail(case: Case) -> dict[str, Any]:
    """The case as the detail gives it, read again."""
    related = (
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "objectives",
    )
    case = Case.objects.select_related("student").prefetch_related(*related).get(pk=case.pk)
    return CaseDetailSerializer(case).data


def _opened_case_detail(case: Case) -> dict[str, Any]:
    """The case just opened in this request, as the detail gives it, from what the flag wrote:
    its timeline rows and its tasks (``lifecycle.opened_with``); a new case has no objectives.
    tests/workflows/test_api_cases.py holds it equal to the detail read again."""
    events, tasks = lifecycle.opened_with(case)
    known = {"timeline": events, "objectives": [], "tasks": tasks}
    return CaseDetailSerializer(case, context={"known": known}).data


@extend_schema_view(
    post=extend_schema(request=CaseFlagSerializer, responses={201: CaseDetailSerializer})
)
class CaseListView(AuditedListMixin, generics.ListCreateAPIView[Case]):
    """Cases you may see (need to know); POST flags a student and opens a case."""

    audit_object_type = "case"

    serializer_class = CaseListSerializer

    def get_queryset(self) -> QuerySet[Case]:
        queryset = selectors.cases_visible_to(actor_of(self.request)).select_related("student")
        params = self.request.query_params
        if params.get("stage"):
            queryset = queryset.filter(stage=params["stage"])
        if params.get("student"):
            queryset = queryset.filter(student_id=required_int(params, "student"))
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        student_id = required_int(body(request), "student")
        student = selectors.student_get_for_user(actor_of(request), student_id, audit=False)
        # The read's audit row goes into the flag's transaction; a refused flag writes it alone.
        read = ReadInChange(actor=actor_of(request), obj=student)
        try:
            policies.require_flag(actor_of(request), student)
            serializer = CaseFlagSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            case = services.case_flag(
                student=student,
                actor=actor_of(request),
                reason=serializer.validated_data["reason"],
                functions=serializer.validated_data["functions"],
                read=read,
            )
        except Exception:
            read.written_or_write_alone()
            raise
        return Response(_opened_case_detail(case), status=status.HTTP_201_CREATED)


class CaseDetailView(generics.GenericAPIView[Case]):
    serializer_class = CaseDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for_user(actor_of(request), pk)
        return Response(_case_detail(case))


class CaseTransitionView(generics.GenericAPIView[Case]):
    serializer_class = TransitionSerializer

    @extend_schema(
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(TRANSITIONS))],
        responses={200: CaseDetailSerializer},
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in TRANSITIONS:
            raise NotFound(
                _("Unknown transition %(name)r; known: %(known)s.")
                % {"name": name, "known": ", ".join(TRANSITIONS)}
            )
        case = selectors.case_get_for_user(actor_of(request), pk)
        policies.require_transition(actor_of(request), case, name)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.case_transition(
            case=case,
            name=name,
            actor=actor_of(request),
            note=serializer.validated_data["note"],
            cancel_open_tasks=serializer.validated_data["cancel_open_tasks"],
        )
        return Response(_case_detail(case))


class ObjectiveListView(generics.ListCreateAPIView[Objective]):
    serializer_class = ObjectiveSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Objective]:
        case = selectors.case_get_for_user(actor_of(self.request), self.kwargs["pk"])
        return case.objectives.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = selectors.case_get_for_user(actor_of(request), kwargs["pk"])
        workflow_policies.require_add_objective(actor_of(request), case)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_add(
            case=case, actor=actor_of(request), **serializer.validated_data
        )
        return Response(ObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)


class ObjectiveReviewSerializer(serializers.ModelSerializer[ObjectiveReview]):
    class Meta:
        model = ObjectiveReview
        fields = ["id", "objective", "value", "status", "note", "reviewed_by", "reviewed_at"]
        read_only_fields = ["id", "objective", "reviewed_by", "reviewed_at"]


class ObjectiveReviewListView(generics.ListCreateAPIView[ObjectiveReview]):
    """Progress reviews of one objective: the indicator's value over time, and its status."""

    serializer_class = ObjectiveReviewSerializer
    pagination_class = None

    def _objective(self) -> Objective:
        objective: Objective = selectors.get_for_user(
            actor_of(self.request), Objective, self.kwargs["pk"]
        )
        return objective

    def get_queryset(self) -> QuerySet[ObjectiveReview]:
        return self._objective().reviews.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objective = self._objective()
        workflow_policies.require_review_objective(actor_of(request), objective)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.objective_review(
            objective=objective, actor=actor_of(request), **serializer.validated_data
        )
        return Response(ObjectiveReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ObjectiveDetailView(generics.GenericAPIView[Objective]):
    """One SMART objective: read it; change what it says or its owner (PATCH), or take it out of
    the plan (DELETE) — coordinators and holders of the case's tasks, while the case is shared or
    in intervention and no progress is recorded against it (409 naming the review)."""

    serializer_class = ObjectiveSerializer

    def _objective(self) -> Objective:
        objective: Objective = selectors.get_for_user(
            actor_of(self.request), Objective, self.kwargs["pk"]
        )
        return objective

    def get(self, request: Request, pk: int) -> Response:
        return Response(ObjectiveSerializer(self._objective()).data)

    def patch(self, request: Request, pk: int) -> Response:
        objective = self._objective()
        workflow_policies.require_change_objective(actor_of(request), objective)
        serializer = ObjectiveSerializer(objective, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = services.objective_update(
            objective=objective, actor=actor_of(request), **serializer.validated_data
        )
        return Response(ObjectiveSerializer(changed).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        objective = self._objective()
        workflow_policies.require_change_objective(actor_of(request), objective)
        services.objective_remove(objective=objective, actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseLibraryEntryView(generics.GenericAPIView[LibraryEntry]):
    """Draft the anonymised library entry of an archived case (coordinators); its reviewers
    are told it waits."""

    serializer_class = LibraryDraftSerializer

    @extend_schema(request=None, responses={201: LibraryDraftSerializer})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        case = selectors.case_get_for_user(actor, pk)
        policies.require_draft_library_entry(actor, case)
        entry = services.library_entry_draft(case=case, actor=actor)
        return Response(LibraryDraftSerializer(entry).data, status=status.HTTP_201_CREATED)
