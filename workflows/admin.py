"""Admin for the people side: an office's due periods, set by its coordinators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from casework.models import User
from casework.roles import actor_of
from workflows.due_periods import (
    due_period_reset,
    due_period_save,
    offices_for_due_periods,
)
from workflows.models import DuePeriod
from workflows.policies import can_set_due_periods


@admin.register(DuePeriod)
class DuePeriodAdmin(admin.ModelAdmin):
    """Coordinators see and set their own offices' periods only; the model's validators (1 to
    365 days) and its one-period-per-task constraint check every form."""

    list_display = ["office", "task", "days"]
    list_filter = ["office", "task"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DuePeriod]:
        offices = offices_for_due_periods(request.user)  # type: ignore[arg-type]
        return super().get_queryset(request).filter(office__in=offices)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "office":
            kwargs["queryset"] = offices_for_due_periods(request.user)  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may(self, request: HttpRequest, obj: DuePeriod | None) -> bool:
        user: User = actor_of(request)
        if not user.is_active or not user.is_staff:
            return False
        if obj is not None:
            return can_set_due_periods(user, obj.office_id)
        return offices_for_due_periods(user).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def save_model(self, request: HttpRequest, obj: DuePeriod, form: Any, change: bool) -> None:
        due_period_save(period=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: DuePeriod) -> None:
        due_period_reset(period=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DuePeriod]) -> None:
        for period in queryset:
            due_period_reset(period=period, actor=request.user)  # type: ignore[arg-type]
