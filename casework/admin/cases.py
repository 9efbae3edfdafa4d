"""Cases and what is written on them, read through need to know; the audit trail, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from casework.admin.base import (
    NeedToKnowAdmin,
    NoAddInline,
    ReadOnly,
    RecordedElsewhere,
)
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClosingReview,
    Consent,
    Contact,
    Objective,
)


class CaseEventInline(NoAddInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "kind",
        "name",
        "actor",
        "from_stage",
        "to_stage",
        "note",
    )


class ObjectiveInline(NoAddInline):
    model = Objective
    extra = 0
    fields = readonly_fields = (
        "description",
        "indicator",
        "baseline",
        "target",
        "deadline",
        "owner",
        "status",
    )
    can_delete = False


@admin.register(Case)
class CaseAdmin(RecordedElsewhere, NeedToKnowAdmin):
    case_path = ""
    list_display = ["id", "student", "stage", "office", "flagged_by", "opened_at"]
    list_filter = ["stage", "office", "opened_at"]
    search_fields = ["student__code", "student__first_name", "student__last_name"]
    date_hierarchy = "opened_at"
    # Stages move only through the services (the API and the pages), where roles, preconditions
    # and the timeline are enforced; the admin shows them.
    readonly_fields = [
        "office",
        "student",
        "stage",
        "functions",
        "reason",
        "flagged_by",
        "previous_case",
        "opened_at",
        "stage_changed_at",
        "shared_at",
        "closed_at",
    ]
    inlines = [ObjectiveInline, CaseEventInline]


@admin.register(ClosingReview)
class ClosingReviewAdmin(NeedToKnowAdmin):
    list_display = ["case", "author", "objectives_met", "created_at"]
    list_filter = ["objectives_met"]
    readonly_fields = ["case", "author", "created_at", "updated_at"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "office", "user", "active"]
    list_filter = ["office", "kind", "active"]
    search_fields = ["name", "organisation", "email"]


@admin.register(Consent)
class ConsentAdmin(RecordedElsewhere, NeedToKnowAdmin):
    list_display = ["case", "scope", "given_by", "given_on", "withdrawn_at"]
    list_filter = ["scope", "given_by"]
    # Consents are recorded and withdrawn through the case, where the timeline and audit are kept.
    readonly_fields = [
        "case",
        "scope",
        "given_by",
        "given_by_name",
        "recipient_user",
        "recipient_contact",
        "purpose",
        "given_on",
        "recorded_by",
        "recorded_at",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_note",
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = [
        "created_at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "request_id",
    ]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["actor_username", "object_id", "request_id"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEvent._meta.fields]
