"""Consents of a case, and the support-network directory they name.

Consents are listed and recorded by office members only: the names of the people consenting are
personal data. Withdrawal can end referrals (and tell their recipients), so it is served by
workflows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework import policies, roles, selectors
from casework.api.serializers import ConsentSerializer
from casework.models import Case, Consent, Contact
from casework.roles import actor_of
from casework.services.consents import consent_record


def _case_for_consents(request: Request, pk: Any) -> Case:
    case = selectors.case_get_for_user(actor_of(request), pk)
    policies.require_see_consents(actor_of(request), case)
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
        consent = consent_record(case=case, actor=actor_of(request), **serializer.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ContactSerializer(serializers.ModelSerializer[Contact]):
    class Meta:
        model = Contact
        fields = ["id", "office", "kind", "name", "organisation", "email", "phone", "user"]
        read_only_fields = fields


class ContactListView(generics.ListAPIView[Contact]):
    """The support-network directory of your offices (internal members); kept in the admin."""

    serializer_class = ContactSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        offices = [
            m.office_id for m in roles.memberships(actor_of(self.request)) if not m.is_external
        ]
        queryset = Contact.objects.filter(office_id__in=offices, active=True)
        kind = self.request.query_params.get("kind")
        return queryset.filter(kind=kind) if kind else queryset
