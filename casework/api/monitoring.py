"""The monitoring API (step 1): signals, imports, risk, the watchlist and instruments.

Thin views in the house order: fetch through a selector (404), check the role through a policy
(403), validate (400), then call the service (409).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, risk, roles, selectors
from casework.api.mixins import AuditedListMixin
from casework.api.monitoring_serializers import (
    ImportRunSerializer,
    ImportUploadSerializer,
    InstrumentAssessmentSerializer,
    InstrumentLinkCreatedSerializer,
    InstrumentLinkInputSerializer,
    InstrumentLinkSerializer,
    InstrumentSerializer,
    RiskSerializer,
    SignalInputSerializer,
    SignalSerializer,
    WatchlistEntrySerializer,
)
from casework.api.parsing import body, required_int
from casework.errors import Invalid, NotFound
from casework.models import (
    ImportRun,
    Instrument,
    InstrumentLink,
    School,
    Signal,
    Student,
    StudentRisk,
    User,
)
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.services.imports import signals_import, students_import
from casework.services.instruments import (
    instrument_link_create,
    instrument_link_revoke,
    responses_over_time,
)
from casework.services.risk import risk_assess, risk_refresh_stale
from casework.services.signals import signal_record

# -- signals --------------------------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(request=SignalInputSerializer, responses={201: SignalSerializer})
)
class SignalListView(AuditedListMixin, generics.ListCreateAPIView[Signal]):
    """Signals of the students you may see (``?student=``, ``?kind=``); POST records one."""

    audit_object_type = "signal"

    serializer_class = SignalSerializer

    def get_queryset(self) -> QuerySet[Signal]:
        queryset = selectors.signals_visible_to(actor_of(self.request)).select_related("instrument")
        params = self.request.query_params
        if params.get("student"):
            queryset = queryset.filter(student_id=required_int(params, "student"))
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = body(request)
        student = selectors.student_get_for_user(actor_of(request), required_int(data, "student"))
        policies.require_record_signal(actor_of(request), student)
        missing = [f for f in ("kind", "value", "observed_on") if data.get(f) is None]
        if missing:
            raise Invalid({name: _("This field is required.") for name in missing})
        signal, created = signal_record(
            student=student,
            actor=actor_of(request),
            kind=data.get("kind"),
            value=data.get("value"),
            observed_on=data.get("observed_on"),
            note=data.get("note") or "",
        )
        return Response(
            SignalSerializer(signal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# -- imports --------------------------------------------------------------------------------------


def _import_school(request: Request) -> School:
    """The school named by ``school`` (a code), else the user's own; 404 if not theirs."""
    user: User = actor_of(request)
    code = str(body(request).get("school") or "").strip()
    if not code:
        policies.require_school_staff_for_import(user)
        own = user.school
        assert own is not None  # the policy above refuses a user without a school
        return own
    school = School.objects.filter(code=code).first()
    if school is None:
        raise NotFound()
    linked = user.is_superuser or roles.is_school_staff(user, school)
    office = getattr(school, "office", None)
    if not linked and (office is None or roles.internal_membership(user, office) is None):
        raise NotFound()
    return school


def _upload(request: Request) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid({"file": _("No file was submitted (multipart field 'file').")})
    return upload


class _ImportView(generics.GenericAPIView[ImportRun]):
    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser]

    def _run(self, request: Request, importer: Any, require: Any) -> Response:
        school = _import_school(request)
        # The service's own check, asked before the upload is read: 403 comes before 400.
        require(request.user, school)
        upload = _upload(request)
        run = importer(
            school=school,
            file=getattr(upload, "file", upload),
            filename=upload.name or "",
            actor=request.user,
        )
        return Response(ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)


class SignalImportView(_ImportView):
    """Import signals from a CSV or XLSX file (columns ``student_code,kind,value,observed_on
    [,note]``): all or nothing; a refused file lists every bad row under ``file``."""

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer})
    def post(self, request: Request) -> Response:
        return self._run(
            request,
            signals_import,
            policies.require_import_signals,
        )


class StudentImportView(_ImportView):
    """Import students from a CSV or XLSX file (columns ``code,first_name,last_name,class_name,
    programme[,birth_date]``): all or nothing; existing codes are updated."""

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer})
    def post(self, request: Request) -> Response:
        return self._run(
            request,
            students_import,
            policies.require_import_students,
        )


# -- risk and the watchlist -----------------------------------------------------------------------


def _words(level: str, previous_level: str, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "reasons": risk.reasons(indicators),
        "changes": risk.changes(level, previous_level, indicators),
    }


class StudentRiskView(generics.GenericAPIView[Student]):
    """A student's risk level, its indicators with their values and trends, and why."""

    serializer_class = RiskSerializer

    def get(self, request: Request, pk: int) -> Response:
        student = selectors.student_get_for_user(actor_of(request), pk)
        as_of = timezone.localdate()
        assessment = risk_assess(student, as_of=as_of)
        open_case = getattr(selectors.open_case_of_student(student), "pk", None)
        level, previous = str(assessment.level), str(assessment.previous_level)
        return Response(
            {
                "student": student.pk,
                "level": level,
                "previous_level": previous,
                "as_of": as_of,
                "indicators": assessment.indicators,
                **_words(level, previous, assessment.indicators),
                "open_case": open_case,
                "flag": None if open_case else risk.flag_suggestion(assessment.indicators),
            }
        )


class WatchlistView(generics.ListAPIView[Student]):
    """Your classes' students, most at risk first, with what changed since last week.

    ``?scope=classes`` (default: the classes you are assigned) or ``school`` (every student you
    may see); ``?class_name=``; ``?level=high,caution`` keeps only those levels.
    """

    serializer_class = WatchlistEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=["classes", "school"]),
            OpenApiParameter("class_name", str),
            OpenApiParameter("level", str, description="Comma-separated: none, caution, high."),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Student]:
        params = self.request.query_params
        students = selectors.watchlist_students(
            actor_of(self.request),
            scope=params.get("scope") or "classes",
            class_name=params.get("class_name") or "",
        )
        # Lists sort by the stored assessment; bring stale ones up to date first.
        risk_refresh_stale(students)
        levels = [part.strip() for part in (params.get("level") or "").split(",") if part.strip()]
        return selectors.watchlist_rows(students, levels=levels)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        entries = [self._entry(student) for student in page or []]
        audit_list(
            actor=actor_of(request),
            object_type="student",
            ids=[entry["student"]["id"] for entry in entries],
            view="watchlist",
        )
        response = self.get_paginated_response(entries)
        user: User = actor_of(request)
        response.data["classes"] = selectors.assigned_classes(user)
        return response

    def _entry(self, student: Any) -> dict[str, Any]:
        try:
            stored = student.risk
        except StudentRisk.DoesNotExist:
            # Registered after the refresh above: nothing is known about them yet.
            stored = StudentRisk(student=student, as_of=timezone.localdate())
        indicators = list(stored.indicators)
        return {
            "student": {
                "id": student.pk,
                "code": student.code,
                "first_name": student.first_name,
                "last_name": student.last_name,
                "class_name": student.class_name,
            },
            "level": stored.level,
            "previous_level": stored.previous_level,
            "worsened": stored.worsened,
            "indicators": indicators,
            **_words(stored.level, stored.previous_level, indicators),
            "new_signals": student.new_signals,
            "open_case": student.open_case_id,
            "flag": None if student.open_case_id else risk.flag_suggestion(indicators),
        }


# -- instruments ----------------------------------------------------------------------------------


_instruments_for = selectors.instruments_for


class InstrumentListView(generics.ListAPIView[Instrument]):
    """The instruments you can give: the self-assessment tool and psychometric tests."""

    serializer_class = InstrumentSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Instrument]:
        return _instruments_for(actor_of(self.request)).order_by("kind", "name")


@extend_schema_view(
    post=extend_schema(
        request=InstrumentLinkInputSerializer, responses={201: InstrumentLinkCreatedSerializer}
    )
)
class InstrumentLinkListView(generics.ListCreateAPIView[InstrumentLink]):
    """A student's one-time instrument links; POST makes a new one (its URL is shown once)."""

    serializer_class = InstrumentLinkSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[InstrumentLink]:
        student = selectors.student_get_for_user(actor_of(self.request), self.kwargs["pk"])
        return student.instrument_links.select_related("instrument")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        student = selectors.student_get_for_user(actor_of(request), kwargs["pk"])
        serializer = InstrumentLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ref = serializer.validated_data["instrument"]
        instruments = _instruments_for(actor_of(request))
        instrument = (
            instruments.filter(pk=int(ref)).first()
            if ref.isdigit()
            else instruments.filter(code=ref).first()
        )
        if instrument is None:
            raise Invalid({"instrument": _("No instrument in use with this code.")})
        policies.require_give_instrument(actor_of(request), student, instrument)
        link, token = instrument_link_create(
            student=student,
            instrument=instrument,
            actor=actor_of(request),
            expires_in_days=serializer.validated_data["expires_in_days"],
        )
        data = dict(InstrumentLinkSerializer(link).data)
        data["token"] = token
        data["url"] = request.build_absolute_uri(reverse("instrument-fill", args=[token]))
        return Response(data, status=status.HTTP_201_CREATED)


class InstrumentLinkRevokeView(generics.GenericAPIView[InstrumentLink]):
    """End a one-time link before it expires: it then opens nothing (410 for the student)."""

    serializer_class = InstrumentLinkSerializer

    @extend_schema(request=None, responses={200: InstrumentLinkSerializer})
    def post(self, request: Request, pk: int) -> Response:
        link = selectors.instrument_link_get_for_user(actor_of(request), pk)
        link = instrument_link_revoke(link=link, actor=actor_of(request))
        return Response(InstrumentLinkSerializer(link).data)


class StudentAssessmentsView(generics.GenericAPIView[Student]):
    """A student's instrument scores over time (``?instrument=code``), with the change since the
    first and the previous score of the same instrument: before and after."""

    serializer_class = InstrumentAssessmentSerializer
    pagination_class = None

    @extend_schema(responses={200: InstrumentAssessmentSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        student = selectors.student_get_for_user(actor_of(request), pk)
        instrument = None
        if request.query_params.get("instrument"):
            instrument = Instrument.objects.filter(code=request.query_params["instrument"]).first()
            if instrument is None:
                raise Invalid({"instrument": _("No instrument with this code.")})
        return Response(responses_over_time(student, instrument=instrument))
