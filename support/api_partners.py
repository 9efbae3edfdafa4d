"""The partner directory through the API: partners, their agreements and their people."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.dates import date_field
from casework.api.mixins import AuditedListMixin
from casework.models import User
from casework.roles import actor_of
from support import policies, selectors, services
from support.models import (
    Agreement,
    AgreementPurpose,
    Partner,
    PartnerContact,
    PartnerKind,
)

# -- partners ------------------------------------------------------------------------------


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    purpose = serializers.ChoiceField(choices=AgreementPurpose.choices)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "purpose", "signed_on", "valid_until", "state"]
        read_only_fields = ["id"]
        extra_kwargs = {name: date_field(name) for name in ("signed_on", "valid_until")}

    def get_state(self, agreement: Agreement) -> str:
        return agreement.lapse_state()


class PartnerContactSerializer(serializers.ModelSerializer[PartnerContact]):
    name = serializers.CharField(source="entry.name", max_length=200)
    email = serializers.EmailField(source="entry.email", required=False, allow_blank=True)
    phone = serializers.CharField(
        source="entry.phone", required=False, allow_blank=True, max_length=40
    )
    contact = serializers.IntegerField(source="entry_id", read_only=True)

    class Meta:
        model = PartnerContact
        fields = ["id", "contact", "name", "role", "email", "phone"]
        read_only_fields = ["id"]
        extra_kwargs = {"role": {"required": False}}


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    name = serializers.CharField(source="entry.name", max_length=200)
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    country = serializers.CharField(max_length=2, min_length=2)
    contact = serializers.IntegerField(source="entry_id", read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    contacts = PartnerContactSerializer(many=True, read_only=True, source="people")

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "country",
            "city",
            "identified_on",
            "contact",
            "agreements",
            "contacts",
        ]
        read_only_fields = ["id", "identified_on"]
        extra_kwargs = {"city": {"required": False}}


def _partners(user: User) -> QuerySet[Partner]:
    return selectors.partners_visible_to(user).prefetch_related(
        "agreements", Prefetch("people", PartnerContact.objects.select_related("entry"))
    )


class PartnerListView(AuditedListMixin, generics.ListCreateAPIView[Partner]):
    """The school's partners; added by the office's coordinators, groups 3 and 4, and the
    school's management."""

    serializer_class = PartnerSerializer
    audit_object_type = "partner"

    def get_queryset(self) -> QuerySet[Partner]:
        return _partners(actor_of(self.request))

    # A generated country code is rarely one of ISO 3166's: one body a client (or the schema's
    # fuzzer) can send as it is.
    @extend_schema(
        examples=[
            OpenApiExample(
                "An employer",
                value={
                    "name": "SC Exemplu SRL",
                    "kind": "employer",
                    "country": "RO",
                    "city": "Cluj-Napoca",
                },
                request_only=True,
            )
        ]
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        policies.require_some_school_to_manage(actor_of(request))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = services.partner_add(
            actor=actor_of(request),
            name=data["entry"]["name"],
            kind=data["kind"],
            country=data["country"],
            city=data.get("city", ""),
        )
        return Response(
            PartnerSerializer(_partners(actor_of(request)).get(pk=partner.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class PartnerDetailView(APIView):
    @extend_schema(responses={200: PartnerSerializer})
    def get(self, request: Request, pk: int) -> Response:
        selectors.partner_get_for_user(actor_of(request), pk)
        return Response(PartnerSerializer(_partners(actor_of(request)).get(pk=pk)).data)


class AgreementListView(APIView):
    @extend_schema(responses={200: AgreementSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        partner = selectors.partner_get_for_user(actor_of(request), pk)
        return Response(AgreementSerializer(partner.agreements.all(), many=True).data)

    @extend_schema(request=AgreementSerializer, responses={201: AgreementSerializer})
    def post(self, request: Request, pk: int) -> Response:
        partner = selectors.partner_get_for_user(actor_of(request), pk)
        policies.require_manage(actor_of(request), partner.school_id)
        serializer = AgreementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_add(
            actor=actor_of(request), partner=partner, **serializer.validated_data
        )
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


class PartnerContactListView(APIView):
    @extend_schema(request=PartnerContactSerializer, responses={201: PartnerContactSerializer})
    def post(self, request: Request, pk: int) -> Response:
        partner = selectors.partner_get_for_user(actor_of(request), pk)
        policies.require_manage(actor_of(request), partner.school_id)
        serializer = PartnerContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = services.partner_contact_add(
            actor=actor_of(request),
            partner=partner,
            name=data["entry"]["name"],
            role=data.get("role", ""),
            email=data["entry"].get("email", ""),
            phone=data["entry"].get("phone", ""),
        )
        return Response(PartnerContactSerializer(person).data, status=status.HTTP_201_CREATED)


# -- opportunities -------------------------------------------------------------------------
