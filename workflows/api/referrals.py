"""Referrals to the support network, and consent withdrawal (which can end referrals)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies as casework_policies
from casework import selectors
from casework.api.serializers import ConsentSerializer, ConsentWithdrawSerializer
from casework.errors import Invalid, NotFound
from casework.models import Consent, Contact, Referral, User
from casework.models.network import REFERRAL_MOVES
from casework.roles import actor_of
from workflows import policies, services
from workflows.selectors import referral_get_for_user, referrals_visible_to


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    to = serializers.IntegerField(source="to_user_id", read_only=True, allow_null=True)
    contact = serializers.IntegerField(source="to_contact_id", read_only=True, allow_null=True)
    office = serializers.CharField(source="case.office.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "office",
            "to",
            "contact",
            "purpose",
            "status",
            "consent",
            "requested_by",
            "requested_at",
            "answered_by",
            "answered_at",
            "ended_by",
            "ended_at",
            "reason",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer[Any]):
    to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    purpose = serializers.CharField(max_length=2000)


class ReferralMoveSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


@extend_schema_view(
    post=extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
)
class CaseReferralListView(generics.ListCreateAPIView[Referral]):
    serializer_class = ReferralSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Referral]:
        case = selectors.case_get_for_user(actor_of(self.request), self.kwargs["pk"])
        return Referral.objects.filter(case=case).select_related("case__office")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = selectors.case_get_for_user(actor_of(request), kwargs["pk"])
        policies.require_refer(actor_of(request), case)
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = services.referral_request(
            case=case,
            actor=actor_of(request),
            purpose=data["purpose"],
            to_user=data.get("to"),
            to_contact=data.get("contact"),
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("scope", enum=["visible", "incoming"], description="default: visible")
    ]
)
class ReferralListView(generics.ListAPIView[Referral]):
    """Referrals you may see; ``scope=incoming``: those addressed to you."""

    serializer_class = ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        scope = self.request.query_params.get("scope", "visible")
        if scope not in ("visible", "incoming"):
            raise Invalid({"scope": _("Choose visible or incoming.")})
        queryset = referrals_visible_to(actor_of(self.request))
        if scope == "incoming":
            queryset = queryset.filter(to_user_id=self.request.user.pk)
        return queryset.order_by("-requested_at", "-id")


class ReferralDetailView(generics.GenericAPIView[Referral]):
    serializer_class = ReferralSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(ReferralSerializer(referral_get_for_user(actor_of(request), pk)).data)


class ReferralMoveView(generics.GenericAPIView[Referral]):
    """``accept`` / ``reject`` (with ``reason``) / ``complete`` / ``revoke``."""

    serializer_class = ReferralMoveSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(REFERRAL_MOVES))
        ],
        responses={200: ReferralSerializer},
    )
    def post(self, request: Request, pk: int, name: str) -> Response:
        if name not in REFERRAL_MOVES:
            raise NotFound(
                _("Unknown action %(name)r; known: %(known)s.")
                % {"name": name, "known": ", ".join(REFERRAL_MOVES)}
            )
        referral = referral_get_for_user(actor_of(request), pk)
        serializer = ReferralMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_change(
            referral=referral,
            name=name,
            actor=actor_of(request),
            reason=serializer.validated_data["reason"],
        )
        return Response(ReferralSerializer(referral).data)


class ConsentWithdrawView(generics.GenericAPIView[Consent]):
    """Withdraw a consent; referrals resting on it are revoked and their access ends.

    ``/api/consents/{id}/withdraw/``, or ``/api/cases/{case}/consents/{id}/withdraw/``."""

    serializer_class = ConsentWithdrawSerializer

    @extend_schema(responses={200: ConsentSerializer})
    def post(self, request: Request, pk: int, case_pk: int | None = None) -> Response:
        consent: Consent = selectors.get_for_user(actor_of(request), Consent, pk)
        if case_pk is not None and consent.case_id != case_pk:
            raise NotFound()
        casework_policies.require_record_consent(actor_of(request), consent.case)
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_withdraw(
            consent=consent, actor=actor_of(request), note=serializer.validated_data["note"]
        )
        return Response(ConsentSerializer(consent).data)
