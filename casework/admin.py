"""Admin for the school's IT person and the office coordinators.

Coordinators get staff access to the admin; what they see is cut to need to know by the same
selectors the API uses. Superusers (IT) see everything. The audit trail is read-only for all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from casework import dates, policies, selectors
from casework.errors import DomainError, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClassAssignment,
    ClosingReview,
    Consent,
    Contact,
    ImportRun,
    Instrument,
    InstrumentLink,
    InstrumentResponse,
    Item,
    LibraryEntry,
    Membership,
    Objective,
    Office,
    PartnerKey,
    PartnerOrganisation,
    PartnerToken,
    Position,
    RiskPolicy,
    School,
    Signal,
    Student,
    Subscale,
    User,
)
from casework.services.audit import audit_record
from casework.services.imports import signals_import, students_import
from casework.services.offices import sync_role_groups
from casework.services.positions import position_assign

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


class DateWindowsAdmin(admin.ModelAdmin):
    """The admin writes models directly: its forms get each date field's plausible window."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        window = dates.MODEL_FIELDS.get(f"{db_field.model._meta.label}.{db_field.name}")
        if field is not None and window is not None:
            field.validators.append(dates.validator(window))
        return field


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
        return queryset.filter(pk__in=selectors.students_visible_to(request.user).values("pk"))


@admin.register(Signal)
class SignalAdmin(ImportAdminMixin):
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
        return queryset.filter(student__in=selectors.students_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Signal._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
        return policies.can_manage_positions(request.user, school)

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
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                obj=obj,
                data={"fields": sorted(form.changed_data)},
            )
            return
        held = position_assign(
            actor=request.user,
            school=obj.school,
            user=obj.user,
            position=obj.position,
            class_name=obj.class_name,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
        )
        obj.pk = held.pk


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
class InstrumentLinkAdmin(admin.ModelAdmin):
    list_display = ["created_at", "instrument", "student", "created_by", "expires_at", "used_at"]
    list_filter = ["instrument"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentLink]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(student__in=selectors.students_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in InstrumentLink._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InstrumentResponse)
class InstrumentResponseAdmin(admin.ModelAdmin):
    list_display = ["submitted_at", "instrument", "student", "score", "level"]
    list_filter = ["instrument", "level"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentResponse]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(student__in=selectors.students_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in InstrumentResponse._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


class PartnerKeyInline(admin.TabularInline):
    model = PartnerKey
    extra = 0
    can_delete = False
    fields = readonly_fields = ("key_id", "public_key", "added_at", "retired_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # `manage.py library_partner add CODE --public-key KEY` checks the key


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "active"]
    inlines = [PartnerKeyInline, PartnerTokenInline]
