"""An information or counselling activity and its attendance list (seed 004, seed 000).

The counselling procedure asks the study and career counsellors (and the form tutors, the action
plan adds) to inform students "individually or in groups, face to face, by phone, on a platform
or by e-mail" and to keep the attendance lists; the semester reports count these records.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.workflow.models import Process, Task

from casework.models import School, Student


class ActivityKind(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("activity kind", "individual")
    GROUP = "group", pgettext_lazy("activity kind", "group")


class Channel(models.TextChoices):
    DIRECT = "direct", _("face to face")
    PHONE = "phone", _("by phone")
    PLATFORM = "platform", _("on a platform")
    EMAIL = "email", _("by e-mail")
    WEB = "web", _("on the web")


class Topic(models.TextChoices):
    EDUCATION_ROUTES = "education_routes", _("educational routes")
    CAREER_ROUTES = "career_routes", _("career routes")
    MOBILITY = "mobility", _("mobility")
    DROPOUT_PREVENTION = "dropout_prevention", _("drop-out prevention")
    OTHER = "other", _("other")


class Activity(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="activities"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    # A group activity is usually held with a class (the student register's class_name).
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    # An individual activity is with exactly one student.
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["school", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="individual", student__isnull=False)
                | Q(kind="group", student__isnull=True),
                name="activity_student_iff_individual",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="activity_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({formats.date_format(self.held_on, 'SHORT_DATE_FORMAT')})"


class Attendee(models.Model):
    """A student on an activity's attendance list."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendees"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="attended"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendance list")
        ordering = ["student__last_name", "student__first_name", "student_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "student"], name="attendee_once"),
        ]

    def __str__(self) -> str:
        return str(self.student)


class ReportKind(models.TextChoices):
    COUNSELLING_SEMESTER = "counselling_semester", _("counselling report of a semester")
    COUNSELLING_SUMMARY = "counselling_summary", _("summary counselling report")
    PLAN_MONITORING = "plan_monitoring", _("action plan monitoring report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    REGISTERED = "registered", _("registered")
    ANALYSED = "analysed", _("analysed")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class Report(models.Model):
    """A report of the counselling procedure (seed 004) and its circuit: drafted by its author,
    registered by its receiver in the school's register, analysed or approved, or returned.

    The status changes below only change fields; ``counselling.reports.services`` checks who may
    and when, takes the locks, and moves the report's flow."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ReportKind.choices)
    # "2025-2026/1" (1 September to 31 January), "2025-2026/2" (1 February to 31 August) or a
    # school year "2025-2026".
    period = models.CharField(_("period"), max_length=12)
    # The action plan a plan monitoring report counts (by name: plans builds on counselling's
    # records, so counselling does not import it).
    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_reports",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    registration_number = models.PositiveIntegerField(_("registration number"), null=True)
    # The register counts from 1 in each calendar year: the year of the registration.
    registration_year = models.PositiveSmallIntegerField(_("registration year"), null=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    # The step that returned the report, which its resubmission goes back to.
    returned_at_step = models.CharField(_("returned at"), max_length=16, blank=True)
    analysis_note = models.TextField(_("analysis"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The figures counted from the records; frozen when the report is submitted.
    content = models.JSONField(_("content"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "kind", "period"],
                condition=Q(plan__isnull=True),
                name="report_once_per_author_kind_period",
            ),
            # A plan monitoring report: one per author, period and plan.
            models.UniqueConstraint(
                fields=["author", "kind", "period", "plan"],
                condition=Q(plan__isnull=False),
                name="report_once_per_author_plan_period",
            ),
            models.UniqueConstraint(
                fields=["school", "registration_year", "registration_number"],
                name="report_registration_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def registration(self) -> str | None:
        if self.registration_number is None or self.registered_on is None:
            return None
        return f"{self.registration_number}/{self.registered_on:%d.%m.%Y}"

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    # The circuit's moves: fields only.
    def submit(self, *, now: datetime.datetime, content: dict[str, object]) -> None:
        # A report returned after registration keeps its number and goes back to that step.
        self.status = (
            ReportStatus.REGISTERED if self.registration_number else ReportStatus.SUBMITTED
        )
        self.content = content
        self.submitted_at = now

    def register(self, *, number: int, day: datetime.date) -> None:
        self.status = ReportStatus.REGISTERED
        self.registration_number = number
        self.registration_year = day.year
        self.registered_on = day

    def analyse(self, *, note: str) -> None:
        self.status = ReportStatus.ANALYSED
        self.analysis_note = note

    def approve(self, *, day: datetime.date) -> None:
        self.status = ReportStatus.APPROVED
        self.approved_on = day

    def return_to_author(self, *, remarks: str, step: str) -> None:
        self.status = ReportStatus.RETURNED
        self.remarks = remarks
        self.returned_at_step = step


class RegisterCounter(models.Model):
    """The school's register: the last number given in a calendar year.

    Numbers come from this row, locked with SELECT ... FOR UPDATE, never from max()+1 over the
    reports: two registrations at once would both read the same maximum."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register counter")
        verbose_name_plural = _("register counters")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="register_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}: {self.last}"


class ReportProcess(Process):
    """One flow process per report; ``artifact`` points at the Report."""

    class Meta:
        proxy = True
        verbose_name = _("report process")
        verbose_name_plural = _("report processes")


class ReportTask(models.Model):
    """The school side of one viewflow task of a report: which report, when it is due."""

    task = models.OneToOneField(
        Task,
        verbose_name=_("task"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="report_task",
    )
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="tasks"
    )
    name = models.CharField(_("step"), max_length=16)
    due_at = models.DateTimeField(_("due"), db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("report task")
        verbose_name_plural = _("report tasks")
        ordering = ["due_at", "task_id"]

    def __str__(self) -> str:
        return f"{self.name} (report #{self.report_id})"


class InfoPack(models.Model):
    """The students' information pack of one school (seed 002, "Pachet informativ despre
    abandonul școlar pentru elevi"): how to reach the office, kept by its coordinators.

    Only the office's own contact is kept: a room, hours and a shared e-mail address. There is
    no phone field, and the services refuse a phone number or a staff member's own e-mail in
    any field, so a pack handed to a class never carries a personal contact.
    """

    school = models.OneToOneField(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="info_pack"
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    email = models.EmailField(_("the office's e-mail"), blank=True)
    # A word from the office, in the school's language and in English.
    note = models.TextField(_("note in the school's language"), blank=True, max_length=1500)
    note_en = models.TextField(_("note in English"), blank=True, max_length=1500)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("information pack")
        verbose_name_plural = _("information packs")

    def __str__(self) -> str:
        return str(self.school)
