"""Admin for the school's IT person and the office coordinators.

Coordinators get staff access to the admin; what they see is cut to need to know by the same
selectors the API uses. Superusers (IT) see everything. The audit trail is read-only for all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClosingReview,
    Consent,
    Contact,
    LibraryEntry,
    Membership,
    Objective,
    Office,
    PartnerOrganisation,
    PartnerToken,
    School,
    Student,
    User,
)
from casework.services.offices import sync_role_groups


class NeedToKnowAdmin(admin.ModelAdmin):
    """Restrict the change list and detail pages to what the user may see."""

    case_path = "case"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = selectors.cases_visible_to(request.user).values("pk")
        if self.case_path:
            return queryset.filter(**{f"{self.case_path}__in": visible})
        return queryset.filter(pk__in=visible)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "town", "region", "language"]
    search_fields = ["code", "name", "town"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "operational"]
    inlines = [MembershipInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        users = {m.user for m in formset.queryset.model.objects.filter(office=form.instance)}
        for user in users | {obj.user for obj in formset.deleted_objects}:
            sync_role_groups(user)

    @admin.display(boolean=True, description=_("operational"))
    def operational(self, office: Office) -> bool:
        return office.is_operational


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "group", "is_coordinator", "is_external", "active"]
    list_filter = ["office", "group", "is_coordinator", "is_external", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]

    # Memberships decide the user's role groups (and so their task queues): keep them in step.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync_role_groups(obj.user)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        super().delete_model(request, obj)
        sync_role_groups(obj.user)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "school", "is_active", "is_staff"]
    list_filter = ["school", "is_active", "is_staff", "is_superuser"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("School"), {"fields": ["school"]}),
    )


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["code", "last_name", "first_name", "class_name", "programme", "school"]
    list_filter = ["school", "class_name", "programme"]
    search_fields = ["code", "first_name", "last_name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Student]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=selectors.students_visible_to(request.user).values("pk"))


class CaseEventInline(admin.TabularInline):
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

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ObjectiveInline(admin.TabularInline):
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

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(NeedToKnowAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
class ConsentAdmin(NeedToKnowAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LibraryEntry)
class LibraryEntryAdmin(admin.ModelAdmin):
    """Read-only: entries change through the library services (scrubbing, two-person rule)."""

    list_display = ["uuid", "version", "status", "origin", "language", "published_at"]
    list_filter = ["status", "origin", "language"]
    search_fields = ["uuid", "title"]
    exclude = ("search_vector",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in LibraryEntry._meta.fields if f.name != "search_vector"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerTokenInline(admin.TabularInline):
    model = PartnerToken
    extra = 0
    can_delete = False
    fields = readonly_fields = ("prefix", "label", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # keys are issued by `manage.py library_partner token`, shown once


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "active"]
    inlines = [PartnerTokenInline]
