"""The case library API: draft from a case, review, publish, correct, withdraw, search, and
share with partners. Thin views: fetch (404) → role (403) → input (400) → service (409).

The read endpoints (search, one entry, export) also take a partner token; nothing else does.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from casework import library_selectors as library
from casework import policies
from casework.api.library_serializers import (
    ImportSerializer,
    LibraryDraftSerializer,
    LibraryEntrySerializer,
    NarrativeSerializer,
    WithdrawSerializer,
)
from casework.api.pagination import Pagination
from casework.api.partner_auth import (
    PartnerPrincipal,
    PartnerTokenAuthentication,
    StaffOrPartnerReadOnly,
    is_partner,
)
from casework.api.token_auth import ApiTokenAuthentication
from casework.errors import Invalid
from casework.models import AuditEvent, LibraryEntry, PartnerOrganisation, User
from casework.roles import actor_of
from casework.services import library as services
from casework.services.audit import audit_record
from casework.services.library_exchange import library_export, library_import

READERS = [PartnerTokenAuthentication, ApiTokenAuthentication, SessionAuthentication]
# Counting every match of a common word means reading every matching row; past this many the
# count stops and the answer says so ("count_capped"): nobody pages through a thousand cases.
COUNT_CAP = 1000


class _CappedPaginator(DjangoPaginator):
    @cached_property
    def count(self) -> int:
        # Unordered, so the database may stop at the cap instead of sorting every match.
        object_list: Any = self.object_list
        return int(object_list.order_by()[: COUNT_CAP + 1].count())


class LibraryPagination(Pagination):
    # Search results are read, not scanned: 20 a page (``page_size`` up to 200 still works).
    page_size = 20
    django_paginator_class = _CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        capped = self.page.paginator.count > COUNT_CAP
        return Response(
            {
                "count": min(self.page.paginator.count, COUNT_CAP),
                "count_capped": capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


def _audit_read(request: Request, action: str, data: dict[str, Any], obj: Any = None) -> None:
    principal = request.user
    if isinstance(principal, PartnerPrincipal):
        data = {**data, "partner": principal.partner.code}
        audit_record(actor=None, action=action, obj=obj, object_type="libraryentry", data=data)
        return
    audit_record(
        actor=actor_of(request), action=action, obj=obj, object_type="libraryentry", data=data
    )


def _draft_view(entry: LibraryEntry, user: User) -> dict[str, Any]:
    if entry.status == LibraryEntry.Status.DRAFT or policies.can_review_library_entry(
        user, entry.office_id
    ):
        return dict(LibraryDraftSerializer(entry).data)
    return dict(LibraryEntrySerializer(entry).data)


class LibraryListView(generics.ListAPIView[LibraryEntry]):
    """Search published entries: all staff, and partner tokens (our own entries only)."""

    serializer_class = LibraryEntrySerializer
    authentication_classes = READERS
    permission_classes = [StaffOrPartnerReadOnly]
    pagination_class = LibraryPagination

    def get_queryset(self) -> QuerySet[LibraryEntry]:
        params = self.request.query_params
        source = "own" if is_partner(self.request.user) else params.get("source", "own")
        return library.library_search(
            q=params.get("q", ""),
            source=source,
            risk=params.get("risk", ""),
            function=params.get("function", ""),
            intervention=params.get("intervention", ""),
            outcome=params.get("outcome", ""),
        ).select_related("partner")

    @extend_schema(
        parameters=[
            OpenApiParameter(name, str, description=description)
            for name, description in (
                ("q", "words to find; diacritics and case do not matter"),
                ("risk", "a risk indicator"),
                ("function", "information, pedagogical, socio_economic or administrative"),
                ("intervention", "an intervention type"),
                ("outcome", "all, partly or none (objectives met)"),
                ("source", "own (default), partner or all; partner tokens get own only"),
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        _audit_read(
            request,
            AuditEvent.Action.LIST,
            {
                "q": request.query_params.get("q", ""),
                "ids": [r["id"] for r in response.data["results"]],
            },
        )
        return response


class LibraryDraftListView(generics.ListAPIView[LibraryEntry]):
    """Drafts waiting for review in your offices (coordinators and group 2)."""

    serializer_class = LibraryDraftSerializer

    def get_queryset(self) -> QuerySet[LibraryEntry]:
        return library.library_drafts_for(actor_of(self.request))


class LibraryEntryView(generics.GenericAPIView[LibraryEntry]):
    """One entry: published and withdrawn for everyone (tombstones show no content); drafts for
    the office's reviewers, with every replacement's place and kind. PATCH edits a draft."""

    serializer_class = LibraryDraftSerializer
    authentication_classes = READERS
    permission_classes = [StaffOrPartnerReadOnly]

    def get(self, request: Request, pk: int) -> Response:
        if is_partner(request.user):
            entry = library.library_entry_get_for_partner(pk)
            _audit_read(request, AuditEvent.Action.READ, {"uuid": str(entry.uuid)}, entry)
            return Response(LibraryEntrySerializer(entry).data)
        entry = library.library_entry_get_for_user(actor_of(request), pk)
        if entry.status == LibraryEntry.Status.DRAFT:
            _audit_read(request, AuditEvent.Action.READ, {"uuid": str(entry.uuid)}, entry)
        return Response(_draft_view(entry, actor_of(request)))

    @extend_schema(request=NarrativeSerializer, responses={200: LibraryDraftSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        entry = library.library_entry_get_for_user(actor_of(request), pk)
        # 403 before the body is validated (400): the service's own check, asked first.
        policies.require_review_library_entry(actor_of(request), entry.office_id)
        serializer = NarrativeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.library_entry_update(
            entry=entry, actor=actor_of(request), **serializer.validated_data
        )
        return Response(LibraryDraftSerializer(entry).data)


class LibraryReviseView(generics.GenericAPIView[LibraryEntry]):
    """Correct a published entry: a new draft version (coordinators); published stays as is."""

    serializer_class = LibraryDraftSerializer

    @extend_schema(request=None, responses={201: LibraryDraftSerializer})
    def post(self, request: Request, pk: int) -> Response:
        entry = library.library_entry_get_for_user(actor_of(request), pk)
        policies.require_correct_library_entry(actor_of(request), entry.office_id)
        draft = services.library_entry_revise(entry=entry, actor=actor_of(request))
        return Response(LibraryDraftSerializer(draft).data, status=status.HTTP_201_CREATED)


class LibraryWithdrawView(generics.GenericAPIView[LibraryEntry]):
    """Withdraw an entry (every version): a tombstone stays, so partners drop it too."""

    serializer_class = WithdrawSerializer

    @extend_schema(responses={200: LibraryEntrySerializer})
    def post(self, request: Request, pk: int) -> Response:
        entry = library.library_entry_get_for_user(actor_of(request), pk)
        policies.require_manage_library_entry(actor_of(request), entry.office_id)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.library_entry_withdraw(
            entry=entry, actor=actor_of(request), reason=serializer.validated_data["reason"]
        )
        return Response(LibraryEntrySerializer(entry).data)


class LibraryExportView(generics.GenericAPIView[LibraryEntry]):
    """Our published entries and tombstones as versioned JSON (docs/LIBRARY.md)."""

    authentication_classes = READERS
    permission_classes = [StaffOrPartnerReadOnly]
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("since", str, description="ISO date-time: changes since")],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("since")
        since = parse_datetime(raw) if raw else None
        if raw and since is None:
            raise Invalid({"since": _("Expected an ISO 8601 date-time.")})
        document = library_export(since=since)
        _audit_read(request, AuditEvent.Action.EXPORT, {"entries": len(document["entries"])})
        return Response(document)


class LibraryImportView(generics.GenericAPIView[LibraryEntry]):
    """Import a partner's export (coordinators): deduplicated by uuid and version."""

    serializer_class = ImportSerializer

    @extend_schema(responses={200: dict})
    def post(self, request: Request) -> Response:
        policies.require_import_library(actor_of(request))
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = PartnerOrganisation.objects.filter(
            code=serializer.validated_data["partner"], active=True
        ).first()
        if partner is None:
            raise Invalid({"partner": _("No active partner organisation has this code.")})
        counts = library_import(
            document=serializer.validated_data["document"],
            partner=partner,
            actor=request.user,  # type: ignore[arg-type]
        )
        return Response(counts)
