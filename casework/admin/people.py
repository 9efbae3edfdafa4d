"""Schools, offices and their seats, staff accounts, classes and school duties."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework import policies
from casework.admin.base import (
    DateWindowsAdmin,
)
from casework.models import (
    AuditEvent,
    ClassAssignment,
    Membership,
    Office,
    Position,
    School,
    User,
)
from casework.roles import actor_of
from casework.services.audit import audit_record
from casework.services.offices import membership_set, sync_role_groups
from casework.services.positions import position_assign


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A seat is one person in one office: to move it, end it and give another.
        return ["office", "user"] if obj is not None else []

    # Through the service, like every other front: the role groups (and so the task queues)
    # follow the seat, and the change is in the audit trail.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        saved = membership_set(
            office=obj.office,
            user=obj.user,
            group=obj.group,
            actor=actor_of(request),
            is_coordinator=obj.is_coordinator,
            is_external=obj.is_external,
            active=obj.active,
        )
        obj.pk = saved.pk

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


@admin.register(ClassAssignment)
class ClassAssignmentAdmin(admin.ModelAdmin):
    """Who teaches which class: the classes on each teacher's watchlist."""

    list_display = ["class_name", "user", "is_form_tutor", "school"]
    list_filter = ["school", "class_name", "is_form_tutor"]
    search_fields = ["class_name", "user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Position)
class PositionAdmin(DateWindowsAdmin):
    """School duties (director, form tutor of a class, counsellors, CEIAC). Kept by the director
    and the office's administration for their own school; superusers for every school."""

    list_display = ["user", "position", "class_name", "school", "valid_from", "valid_until"]
    list_filter = ["school", "position"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "class_name"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Someone who manages one school's positions chooses among that school's staff only.
        if not request.user.is_superuser:
            school_id = getattr(request.user, "school_id", None) or 0
            if db_field.name == "school":
                kwargs["queryset"] = School.objects.filter(pk=school_id)
            elif db_field.name == "user":
                kwargs["queryset"] = User.objects.filter(school_id=school_id, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_manage(self, request: HttpRequest, obj: Position | None = None) -> bool:
        if request.user.is_superuser:
            return True
        school = getattr(request.user, "school", None)
        if school is None or (obj is not None and obj.school_id != school.pk):
            return False
        return policies.can_manage_positions(actor_of(request), school)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A position ends (valid until); it is not erased: past reports name who held it.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(school_id=getattr(request.user, "school_id", None))

    def save_model(self, request: HttpRequest, obj: Position, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            audit_record(
                actor=actor_of(request),
                action=AuditEvent.Action.UPDATE,
                obj=obj,
                data={"fields": sorted(form.changed_data)},
            )
            return
        held = position_assign(
            actor=actor_of(request),
            school=obj.school,
            user=obj.user,
            position=obj.position,
            class_name=obj.class_name,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
        )
        obj.pk = held.pk
