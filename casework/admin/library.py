"""The case library's entries and the partner schools that exchange them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from casework.admin.base import (
    NoAddInline,
    RecordedElsewhere,
)
from casework.models import (
    LibraryEntry,
    PartnerKey,
    PartnerOrganisation,
    PartnerToken,
)


@admin.register(LibraryEntry)
class LibraryEntryAdmin(RecordedElsewhere):
    """Read-only: entries change through the library services (scrubbing, two-person rule)."""

    list_display = ["uuid", "version", "status", "origin", "language", "published_at"]
    list_filter = ["status", "origin", "language"]
    search_fields = ["uuid", "title"]
    exclude = ("search_vector",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in LibraryEntry._meta.fields if f.name != "search_vector"]


class PartnerTokenInline(NoAddInline):
    model = PartnerToken
    extra = 0
    can_delete = False
    fields = readonly_fields = ("prefix", "label", "created_at", "last_used_at", "revoked_at")


class PartnerKeyInline(NoAddInline):
    model = PartnerKey
    extra = 0
    can_delete = False
    fields = readonly_fields = ("key_id", "public_key", "added_at", "retired_at")


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "active"]
    inlines = [PartnerKeyInline, PartnerTokenInline]
