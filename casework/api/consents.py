"""Consents of a case: list, record, withdraw. General on purpose (library and referral scopes).
Office members only, reading included: the names of the people consenting are personal data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, selectors
from casework.api.serializers import ConsentSerializer, ConsentWithdrawSerializer
from casework.errors import Forbidden, NotFound
from casework.models import Case, Consent
from casework.services.consents import consent_record, consent_withdraw


def _case_for_consents(request: Request, pk: Any) -> Case:
    case = selectors.case_get_for_user(request.user, pk)
    if not policies.can_record_consent(request.user, case):
        raise Forbidden("Only members of the office see and record consent.")
    return case


class CaseConsentListView(generics.ListCreateAPIView[Consent]):
    serializer_class = ConsentSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Consent]:
        case = _case_for_consents(self.request, self.kwargs["pk"])
        return Consent.objects.filter(case=case)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = _case_for_consents(request, kwargs["pk"])
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = consent_record(case=case, actor=request.user, **serializer.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(generics.GenericAPIView[Consent]):
    """``/api/cases/{case}/consents/{id}/withdraw/``, or ``/api/consents/{id}/withdraw/``."""

    serializer_class = ConsentWithdrawSerializer

    @extend_schema(responses={200: ConsentSerializer})
    def post(self, request: Request, consent_pk: int, pk: int | None = None) -> Response:
        consent = (
            Consent.objects.filter(pk=consent_pk, case__in=selectors.cases_visible_to(request.user))
            .select_related("case")
            .first()
        )
        if consent is None or (pk is not None and consent.case_id != pk):
            raise NotFound()
        _case_for_consents(request, consent.case_id)
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = consent_withdraw(
            consent=consent, actor=request.user, note=serializer.validated_data["note"]
        )
        return Response(ConsentSerializer(consent).data)
