"""An information or counselling activity and its attendance list (seed 004, seed 000).

The counselling procedure asks the study and career counsellors (and the form tutors, the action
plan adds) to inform students "individually or in groups, face to face, by phone, on a platform
or by e-mail" and to keep the attendance lists; the semester reports count these records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        return f"{self.title} ({self.held_on:%d.%m.%Y})"


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
