"""The bases every admin page builds on: need to know for case records, date windows for
models written directly, and the refusals of records that are written elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from casework import dates, selectors
from casework.roles import actor_of

# The admin speaks the product's name, not Django's.
admin.site.site_header = _("Action Office administration")
admin.site.site_title = _("Action Office administration")
admin.site.index_title = _("What you may manage")
# Django's admin shows this; its Romanian catalogue leaves it empty, so ours carries it.
ADMIN_MESSAGES = (gettext_noop("Skip to main content"),)


class NeedToKnowAdmin(admin.ModelAdmin):
    """Restrict the change list and detail pages to what the user may see."""

    case_path = "case"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = selectors.cases_visible_to(actor_of(request)).values("pk")
        if self.case_path:
            return queryset.filter(**{f"{self.case_path}__in": visible})
        return queryset.filter(pk__in=visible)


class DateWindowsAdmin(admin.ModelAdmin):
    """The admin writes models directly: its forms get each date field's plausible window."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        window = dates.MODEL_FIELDS.get(f"{db_field.model._meta.label}.{db_field.name}")
        if field is not None and window is not None:
            field.validators.append(dates.validator(window))
        return field


class RecordedElsewhere(admin.ModelAdmin):
    """Records that the product writes through its services: the admin reads and corrects
    them, but neither adds nor erases one."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoAdd(admin.ModelAdmin):
    """Made by the product (a link, an answer): the admin may correct or remove, not add."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(RecordedElsewhere):
    """Read only, for everyone: the audit trail."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoAddInline(admin.TabularInline):
    """Rows written on the record's own pages (events, objectives, partner keys)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
