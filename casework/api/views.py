"""API views for students and closing reviews: thin, they fetch through the selectors and call
the services; errors are raised as domain errors and mapped by ``casework.api.errors``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, selectors
from casework.api.mixins import AuditedListMixin
from casework.api.serializers import ClosingReviewSerializer, StudentSerializer
from casework.errors import NotFound
from casework.models import ClosingReview, Student
from casework.roles import actor_of
from casework.services.cases import closing_review_create, closing_review_update
from casework.services.students import student_create


class StudentListView(AuditedListMixin, generics.ListCreateAPIView[Student]):
    """Students you may see; teachers, administration and coordinators register new ones."""

    audit_object_type = "student"

    serializer_class = StudentSerializer

    def get_queryset(self) -> QuerySet[Student]:
        queryset = selectors.students_visible_to(actor_of(self.request))
        params = self.request.query_params
        if params.get("class_name"):
            queryset = queryset.filter(class_name=params["class_name"])
        if params.get("q"):
            term = params["q"].strip()
            queryset = queryset.filter(
                Q(code__iexact=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
            )
        return queryset

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        school = getattr(request.user, "school", None)
        policies.require_register_student(actor_of(request), school)
        assert school is not None  # require_register_student refused anyone without one
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        student = student_create(
            actor=actor_of(request), school=school, **serializer.validated_data
        )
        return Response(StudentSerializer(student).data, status=status.HTTP_201_CREATED)


class StudentDetailView(generics.GenericAPIView[Student]):
    serializer_class = StudentSerializer

    def get(self, request: Request, pk: int) -> Response:
        student = selectors.student_get_for_user(actor_of(request), pk)
        return Response(StudentSerializer(student).data)


class ClosingReviewView(generics.GenericAPIView[ClosingReview]):
    """The closing review of a case (one per case): coordinators write it while it is closing."""

    serializer_class = ClosingReviewSerializer

    def _review(self, case_pk: int) -> ClosingReview:
        case = selectors.case_get_for_user(actor_of(self.request), case_pk)
        review = ClosingReview.objects.filter(case=case).select_related("case").first()
        if review is None:
            raise NotFound(_("This case has no closing review yet."))
        return review

    def get(self, request: Request, pk: int) -> Response:
        return Response(ClosingReviewSerializer(self._review(pk)).data)

    @extend_schema(responses={201: ClosingReviewSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.case_get_for_user(actor_of(request), pk)
        policies.require_write_closing_review(actor_of(request), case)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = closing_review_create(
            case=case, actor=actor_of(request), **serializer.validated_data
        )
        return Response(ClosingReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    def patch(self, request: Request, pk: int) -> Response:
        review = self._review(pk)
        policies.require_closing_review_author(actor_of(request), review.author_id)
        serializer = self.get_serializer(review, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        review = closing_review_update(
            review=review, actor=actor_of(request), **serializer.validated_data
        )
        return Response(ClosingReviewSerializer(review).data)
