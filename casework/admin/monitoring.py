"""The student register, its signals and imports, the risk policy and the questionnaires."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from casework import policies, selectors
from casework.admin.base import (
    DateWindowsAdmin,
    NoAdd,
    RecordedElsewhere,
)
from casework.errors import DomainError, Invalid
from casework.models import (
    ImportRun,
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    RiskPolicy,
    School,
    Signal,
    Student,
    Subscale,
)
from casework.roles import actor_of
from casework.services.imports import signals_import, students_import


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("school"))

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools
        if schools.count() == 1:
            field.initial = schools.first()


class ImportAdminMixin(admin.ModelAdmin):
    """An "Import from file" page next to the change list; it calls the same import service as
    the command and the API, so the rules and the all-or-nothing answer are the same."""

    change_list_template = "admin/casework/import_change_list.html"
    import_columns = ""
    import_service: Callable[..., ImportRun]
    import_allowed: Callable[[Any, School], bool]

    def get_urls(self) -> list[URLPattern]:
        info = (self.model._meta.app_label, self.model._meta.model_name)
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            )
        ]
        return extra + super().get_urls()

    def _import_schools(self, request: HttpRequest) -> QuerySet[School]:
        if request.user.is_superuser:
            return School.objects.all()
        allowed = [
            s.pk
            for s in School.objects.filter(pk=getattr(request.user, "school_id", None) or 0)
            if type(self).import_allowed(request.user, s)
        ]
        return School.objects.filter(pk__in=allowed)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        schools = self._import_schools(request)
        if not schools.exists():
            raise PermissionDenied
        problems: list[str] = []
        form = ImportForm(request.POST or None, request.FILES or None, schools=schools)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = type(self).import_service(
                    school=form.cleaned_data["school"],
                    file=getattr(upload, "file", upload),
                    filename=upload.name or "",
                    actor=request.user,
                )
            except Invalid as exc:  # ImportRefused too: its lines are under "file"
                problems = [message for messages in exc.fields.values() for message in messages]
            except DomainError as exc:
                problems = [exc.detail]
            else:
                self.message_user(
                    request,
                    _(
                        "%(file)s: %(rows)s rows — %(new)s new, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "file": run.filename,
                        "rows": run.rows,
                        "new": run.created,
                        "updated": run.updated,
                        "unchanged": run.unchanged,
                    },
                    messages.SUCCESS,
                )
                info = (self.model._meta.app_label, self.model._meta.model_name)
                return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(what)s from a file")
            % {"what": self.model._meta.verbose_name_plural},
            "form": form,
            "problems": problems,
            "columns": self.import_columns,
        }
        return TemplateResponse(request, "admin/casework/import.html", context)


@admin.register(Student)
class StudentAdmin(ImportAdminMixin, DateWindowsAdmin):
    list_display = ["code", "last_name", "first_name", "class_name", "programme", "school"]
    list_filter = ["school", "class_name", "programme"]
    search_fields = ["code", "first_name", "last_name"]
    import_columns = "code,first_name,last_name,class_name,programme[,birth_date]"
    import_service = staticmethod(students_import)
    import_allowed = staticmethod(policies.can_import_students)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Student]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=selectors.students_visible_to(actor_of(request)).values("pk"))


@admin.register(Signal)
class SignalAdmin(RecordedElsewhere, ImportAdminMixin):
    """Signals are recorded through the API, the imports and the instruments; here they are
    read and imported."""

    list_display = ["observed_on", "student", "kind", "display_value", "source", "recorded_by"]
    list_filter = ["kind", "source", "observed_on"]
    search_fields = ["student__code", "student__first_name", "student__last_name"]
    date_hierarchy = "observed_on"
    list_select_related = ["student", "recorded_by"]
    import_columns = "student_code,kind,value,observed_on[,note]"
    import_service = staticmethod(signals_import)
    import_allowed = staticmethod(policies.can_import_signals)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Signal]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            student__in=selectors.students_visible_to(actor_of(request)).values("pk")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Signal._meta.fields]


@admin.register(ImportRun)
class ImportRunAdmin(RecordedElsewhere):
    list_display = [
        "started_at",
        "kind",
        "filename",
        "school",
        "rows",
        "created",
        "updated",
        "unchanged",
        "actor",
    ]
    list_filter = ["kind", "school"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ImportRun._meta.fields]


@admin.register(RiskPolicy)
class RiskPolicyAdmin(admin.ModelAdmin):
    """A school's risk thresholds (docs/MONITORING.md has the defaults and their sources). Stored
    assessments older than a change are recomputed the next time a list shows them."""

    list_display = [
        "school",
        "attendance_high_below",
        "failures_high_at_least",
        "behaviour_high_at_least",
        "window_days",
        "updated_at",
    ]
    fieldsets = (
        (None, {"fields": ["school", "window_days"]}),
        (_("Attendance"), {"fields": ["attendance_caution_below", "attendance_high_below"]}),
        (_("Course failures"), {"fields": ["failures_caution_at_least", "failures_high_at_least"]}),
        (_("Behaviour"), {"fields": ["behaviour_caution_at_least", "behaviour_high_at_least"]}),
        (
            _("Self-assessment"),
            {"fields": ["self_assessment_caution_below", "self_assessment_high_below"]},
        ),
    )


class SubscaleInline(admin.TabularInline):
    model = Subscale
    extra = 0


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "text", "subscale", "reverse"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Instruments are data: items, the answer scale, reverse-scored items, subscales, cut-offs.
    Changing the items of an instrument already in use changes what its scores mean; make a new
    instrument (a new code) instead."""

    list_display = ["name", "code", "kind", "language", "school", "is_active"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["name", "code"]
    inlines = [SubscaleInline, ItemInline]


@admin.register(InstrumentLink)
class InstrumentLinkAdmin(NoAdd):
    list_display = ["created_at", "instrument", "student", "created_by", "expires_at", "used_at"]
    list_filter = ["instrument"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentLink]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            student__in=selectors.students_visible_to(actor_of(request)).values("pk")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in InstrumentLink._meta.fields if f.name != "token_hash"]


@admin.register(InstrumentResponse)
class InstrumentResponseAdmin(RecordedElsewhere):
    list_display = ["submitted_at", "instrument", "student", "score", "level"]
    list_filter = ["instrument", "level"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentResponse]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            student__in=selectors.students_visible_to(actor_of(request)).values("pk")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in InstrumentResponse._meta.fields]
