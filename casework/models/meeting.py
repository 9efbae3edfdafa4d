"""The office meeting (seed, step 1-2: "at least monthly"): agenda, attendance, minutes.

These are the records. Building the agenda and carrying out decisions (transitions, tasks)
is the people side's business (``workflows.meetings``); the records stay here so the case
page and the minutes can read them without knowing about tasks.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.case import Case
from casework.models.office import Office


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular office meeting")
        INDIVIDUAL = "individual", _("Individual meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held (minutes closed)")
        CANCELLED = "cancelled", _("Cancelled")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    # An individual meeting is about one delicate case (seed: "întâlniri individualizate").
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="individual_meetings",
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    notes = models.TextField(_("general notes of the minutes"), blank=True)
    # Once the coordinator reorders the agenda by hand, refreshing it only appends new items.
    agenda_by_hand = models.BooleanField(_("agenda ordered by hand"), default=False)
    # The agenda is rebuilt from the cases until the meeting is under way (first attendance or
    # decision recorded); from then on it is the record of what was discussed.
    started_at = models.DateTimeField(_("under way since"), null=True, blank=True)
    minutes_closed_at = models.DateTimeField(_("minutes closed at"), null=True, blank=True)
    minutes_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # iCalendar SEQUENCE: raised on every change a subscribed calendar must pick up.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["scheduled_for", "id"]
        indexes = [models.Index(fields=["office", "scheduled_for"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="individual") | Q(case__isnull=True),
                name="meeting_only_individual_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_for:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.scheduled_for + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        """Decisions and attendance may still be recorded."""
        return self.status == self.Status.SCHEDULED


class AgendaItem(models.Model):
    """One case on a meeting's agenda, with the reasons it is there."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("priority (1 = first)"))
    score = models.PositiveIntegerField(_("urgency score"), default=0)
    # [{"code": "overdue_tasks", "text": "...", ...}], newest computation.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    added_by_hand = models.BooleanField(_("added by the coordinator"), default=False)
    # Taken off by the coordinator: kept (so a refresh does not bring it back) but not listed.
    removed = models.BooleanField(_("removed"), default=False)
    note = models.TextField(_("coordinator's note"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_item_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. case #{self.case_id}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="meeting_attendance",
    )
    status = models.CharField(
        _("attendance"), max_length=16, choices=Status.choices, default=Status.INVITED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_status_display()}"


class Decision(models.Model):
    """A line of the minutes (procesul verbal): what the meeting decided about one agenda item.

    Some kinds are carried out when recorded, through the same services as every other front:
    ``transition`` moves the case, ``task`` creates a task for a group, ``individual_meeting``
    schedules one, ``functions`` changes the needed functions. ``data`` keeps what was done.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Decision recorded")
        TRANSITION = "transition", _("Move the case")
        TASK = "task", _("Task for a group")
        INDIVIDUAL_MEETING = "individual_meeting", _("Individual meeting")
        FUNCTIONS = "functions", _("Needed functions")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.TextField(_("decision"))
    data = models.JSONField(_("what was done"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "item__position", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
