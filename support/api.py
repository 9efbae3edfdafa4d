"""``/api/opportunities/``, ``/api/participations/`` and the students' consents of scope
``mobility`` (DESIGN.md, "Partners and opportunities"); the partners are in ``api_partners``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.dates import date_field
from casework.api.mixins import AuditedListMixin
from casework.api.parsing import MAX_ID
from casework.errors import Invalid
from casework.models import Case, Consent, Student, User
from casework.roles import actor_of
from casework.selectors import cases_visible_to, student_get_for_user, students_visible_to
from casework.services.audit import audit_list
from support import policies, selectors, services
from support.export import XLSX, export_response, school_year_bounds
from support.kinds import Kind
from support.models import (
    MOVES,
    Opportunity,
    Participation,
    Partner,
    Role,
    StudentConsent,
)
from support.participants_export import FORMATS, participants_response

# -- partners ------------------------------------------------------------------------------


class PartnerField(serializers.PrimaryKeyRelatedField[Partner]):
    def get_queryset(self) -> QuerySet[Partner]:
        return selectors.partners_visible_to(self.context["request"].user)


class OpportunityField(serializers.PrimaryKeyRelatedField[Opportunity]):
    def get_queryset(self) -> QuerySet[Opportunity]:
        return Opportunity.objects.filter(
            school_id__in=selectors.readable_schools(self.context["request"].user)
        )


class OpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    partner = PartnerField(required=False, allow_null=True)
    partner_name = serializers.CharField(source="partner.entry.name", read_only=True, default="")
    supports = OpportunityField(required=False, allow_null=True)
    duration = serializers.IntegerField(read_only=True)
    places_taken = serializers.IntegerField(read_only=True, default=0)
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "kind",
            "title",
            "partner",
            "partner_name",
            "starts_on",
            "ends_on",
            "duration",
            "travel_days",
            "places",
            "places_taken",
            "places_left",
            "supports",
            "hours_planned",
            "practice_centre",
            "financial_support",
            "tutor",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            name: {"required": False}
            for name in ("travel_days", "places", "hours_planned", "practice_centre")
        } | {
            "financial_support": {"required": False},
            "tutor": {"required": False},
            "starts_on": date_field("starts_on"),
            "ends_on": date_field("ends_on"),
        }

    def get_places_left(self, opportunity: Opportunity) -> int | None:
        if opportunity.places is None:
            return None
        return max(opportunity.places - getattr(opportunity, "places_taken", 0), 0)


def _day(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise Invalid({name: _("Give a date as YYYY-MM-DD.")}) from None


_EXAMPLE_START = datetime.date.today() + datetime.timedelta(days=30)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str),
        OpenApiParameter("from", datetime.date, description="ending on or after this day"),
        OpenApiParameter("to", datetime.date, description="starting on or before this day"),
        OpenApiParameter("partner", int),
        OpenApiParameter("open", bool, description="only those with places left"),
    ]
)
class OpportunityListView(AuditedListMixin, generics.ListCreateAPIView[Opportunity]):
    """The catalogue, read by the school's staff; added by its managers."""

    serializer_class = OpportunitySerializer
    audit_object_type = "opportunity"

    def get_queryset(self) -> QuerySet[Opportunity]:
        return selectors.filter_catalogue(
            selectors.opportunities_visible_to(actor_of(self.request)), self.request.query_params
        )

    # Each day's example sits inside its window, but the two together must also give a
    # duration the kind allows: a ten-day placement starting in a month (dated when the
    # module is loaded), so a client or a fuzzer has one body that is accepted.
    @extend_schema(
        examples=[
            OpenApiExample(
                "A ten-day practice placement",
                value={
                    "kind": "practice_placement",
                    "title": "Practică la partener",
                    "starts_on": _EXAMPLE_START.isoformat(),
                    "ends_on": (_EXAMPLE_START + datetime.timedelta(days=9)).isoformat(),
                },
                request_only=True,
            )
        ]
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        policies.require_some_school_to_manage(actor_of(request))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in ("practice_centre", "financial_support", "tutor"):
            data[name] = data.get(name) or ""
        data["travel_days"] = data.get("travel_days") or 0
        opportunity = services.opportunity_add(actor=actor_of(request), **data)
        found = selectors.opportunity_get_for_user(actor_of(request), opportunity.pk)
        return Response(OpportunitySerializer(found).data, status=status.HTTP_201_CREATED)


# -- participations ------------------------------------------------------------------------


class DossierItemSerializer(serializers.Serializer[Any]):
    item = serializers.CharField()
    done_on = serializers.DateField(allow_null=True, **date_field("done_on"))


class ParticipationSerializer(serializers.ModelSerializer[Participation]):
    name = serializers.CharField(source="person_name", read_only=True)
    case = serializers.SerializerMethodField()
    dossier = DossierItemSerializer(many=True, read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "opportunity",
            "role",
            "student",
            "staff",
            "name",
            "status",
            "case",
            "proposed_at",
            "completed_on",
            "certificate",
            "competences",
            "hours_done",
            "dossier",
        ]
        read_only_fields = fields

    def get_case(self, participation: Participation) -> int | None:
        # Only those who see the case see that the participation is linked to it.
        seen: set[int] = self.context.get("visible_cases", set())
        return participation.case_id if participation.case_id in seen else None


def participation_data(user: User, participations: list[Participation]) -> Any:
    context = {"visible_cases": selectors.visible_case_ids(user, participations)}
    return ParticipationSerializer(participations, many=True, context=context).data


class OpportunityDetailView(APIView):
    @extend_schema(responses={200: OpportunitySerializer})
    def get(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        opportunity = selectors.opportunity_get_for_user(user, pk)
        data = OpportunitySerializer(opportunity).data
        visible = list(selectors.participations_visible_to(user).filter(opportunity=opportunity))
        data["participants"] = participation_data(user, visible)
        return Response(data)


class ProposeSerializer(serializers.Serializer[Any]):
    student = serializers.PrimaryKeyRelatedField(queryset=Student.objects.none(), required=False)
    staff = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)
    role = serializers.ChoiceField(choices=Role.choices)
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator makes one without a request
            return
        user = actor_of(request)
        fields: Any = self.fields
        fields["student"].queryset = students_visible_to(user)
        fields["staff"].queryset = User.objects.filter(is_active=True, school__isnull=False)
        fields["case"].queryset = cases_visible_to(user)


def _case_in_body(request: Request) -> Case | None:
    """The case a body names, if the caller sees it; the serializer reports anything wrong."""
    raw = request.data.get("case") if isinstance(request.data, dict) else None
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= MAX_ID:
        return None
    return cases_visible_to(actor_of(request)).filter(pk=raw).first()


class ParticipantListView(generics.GenericAPIView[Participation]):
    """An opportunity's participants: all of them for its managers; for others, those linked
    to a case they see."""

    serializer_class = ParticipationSerializer

    @extend_schema(responses={200: ParticipationSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        opportunity = selectors.opportunity_get_for_user(user, pk)
        queryset = selectors.participations_visible_to(user).filter(opportunity=opportunity)
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        audit_list(actor=user, object_type="participation", ids=[p.pk for p in rows])
        return self.get_paginated_response(participation_data(user, rows))

    @extend_schema(request=ProposeSerializer, responses={201: ParticipationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        opportunity = selectors.opportunity_get_for_user(user, pk)
        # 403 before 400: who may propose depends on the case named, read leniently first.
        policies.require_propose(user, opportunity.school_id, _case_in_body(request))
        serializer = ProposeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        participation = services.participation_propose(
            actor=user, opportunity=opportunity, **serializer.validated_data
        )
        fresh = selectors.participation_get_for_user(user, participation.pk, audit=False)
        return Response(participation_data(user, [fresh])[0], status=status.HTTP_201_CREATED)


class ParticipationDetailView(APIView):
    @extend_schema(responses={200: ParticipationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        participation = selectors.participation_get_for_user(user, pk)
        return Response(participation_data(user, [participation])[0])


NOTE = inline_serializer("ParticipationNote", {"note": serializers.CharField(required=False)})


class ParticipationMoveView(APIView):
    """``select``, ``confirm``, ``start``, ``complete`` or ``withdraw`` (managers)."""

    @extend_schema(request=NOTE, responses={200: ParticipationSerializer})
    def post(self, request: Request, pk: int, name: str) -> Response:
        user = actor_of(request)
        participation = selectors.participation_get_for_user(user, pk, audit=False)
        if name not in MOVES:
            raise Invalid(
                {"name": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(MOVES)}]}
            )
        policies.require_manage(user, participation.opportunity.school_id)
        note = request.data.get("note", "") if isinstance(request.data, dict) else ""
        if not isinstance(note, str):
            raise Invalid({"note": [_("Give the note as text.")]})
        services.participation_transition(
            actor=user, participation=participation, name=name, note=note.strip()
        )
        fresh = selectors.participation_get_for_user(user, pk, audit=False)
        return Response(participation_data(user, [fresh])[0])


class DossierView(APIView):
    """Tick an item of a mobility participant's dossier: ``{"item", "done_on"}`` (null clears)."""

    @extend_schema(request=DossierItemSerializer, responses={200: ParticipationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        participation = selectors.participation_get_for_user(user, pk, audit=False)
        policies.require_manage(user, participation.opportunity.school_id)
        serializer = DossierItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dossier_item_mark(
            actor=user, participation=participation, **serializer.validated_data
        )
        fresh = selectors.participation_get_for_user(user, pk, audit=False)
        return Response(participation_data(user, [fresh])[0])


class OutcomeSerializer(serializers.Serializer[Any]):
    certificate = serializers.CharField(required=False, allow_blank=True, max_length=200)
    competences = serializers.CharField(required=False, allow_blank=True)
    hours_done = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class OutcomeView(APIView):
    @extend_schema(request=OutcomeSerializer, responses={200: ParticipationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        participation = selectors.participation_get_for_user(user, pk, audit=False)
        policies.require_manage(user, participation.opportunity.school_id)
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.participation_outcome_record(
            actor=user, participation=participation, **serializer.validated_data
        )
        fresh = selectors.participation_get_for_user(user, pk, audit=False)
        return Response(participation_data(user, [fresh])[0])


# -- consents and the export ---------------------------------------------------------------


class StudentConsentSerializer(serializers.ModelSerializer[StudentConsent]):
    scope = serializers.ChoiceField(choices=StudentConsent.Scope.choices)
    given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices)
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = StudentConsent
        fields = ["id", "scope", "given_by", "given_by_name", "case", "given_on", "withdrawn_at"]
        read_only_fields = ["id", "given_on", "withdrawn_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            fields: Any = self.fields
            fields["case"].queryset = cases_visible_to(self.context["request"].user)


class StudentConsentListView(APIView):
    """A student's consents of scope ``mobility`` (the contract's call)."""

    @extend_schema(responses={200: StudentConsentSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        student = student_get_for_user(user, pk)
        policies.require_manage(user, student.school_id)
        consents = StudentConsent.objects.filter(student=student)
        return Response(StudentConsentSerializer(consents, many=True).data)

    @extend_schema(request=StudentConsentSerializer, responses={201: StudentConsentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = actor_of(request)
        student = student_get_for_user(user, pk, audit=False)
        policies.require_propose(user, student.school_id, _case_in_body(request))
        serializer = StudentConsentSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        consent = services.student_consent_record(
            actor=user, student=student, **serializer.validated_data
        )
        return Response(StudentConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[OpenApiParameter("school_year", str, description="e.g. 2025-2026")],
    responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
)
class MobilityExportView(APIView):
    """The Erasmus+ mobilities of a school year, for the Beneficiary Module (managers)."""

    def get(self, request: Request) -> HttpResponse:
        user = actor_of(request)
        school_id = policies.require_some_school_to_manage(user)
        first, last = school_year_bounds(request.query_params.get("school_year", ""))
        return export_response(user=user, school_id=school_id, first=first, last=last)


class ParticipantFileView(APIView):
    """The participant list as XLSX or CSV: what ``GET …/participants/`` shows the caller
    (managers: everyone; others: those linked to a case they see), formula-safe."""

    @extend_schema(
        operation_id="opportunity_participants_file",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS))],
        responses={(200, XLSX): bytes, (200, "text/csv"): bytes},
    )
    def get(self, request: Request, pk: int, fmt: str) -> HttpResponse:
        user = actor_of(request)
        opportunity = selectors.opportunity_get_for_user(user, pk)
        return participants_response(user=user, opportunity=opportunity, fmt=fmt)
