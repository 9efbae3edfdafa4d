"""The people side of a case: its flow process, its tasks' office side, notifications, and the
office meeting (seed, step 1-2: "at least monthly"): agenda, attendance, decisions, minutes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from casework.dates import api_datetime
from casework.models import Case, Group, Office


class CaseProcess(Process):
    """One intervention process per case; ``artifact`` points at the Case (the real record)."""

    class Meta:
        proxy = True
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")
        # Task routing for permission-based tools (viewflow's queues): each office role group's
        # auth group gets its permission. Who is offered a task is still decided per case by
        # ``workflows.selectors`` (need to know).
        permissions = [
            ("work_group1", _("Work on information tasks (group 1)")),
            ("work_group2", _("Work on pedagogical tasks (group 2)")),
            ("work_group3", _("Work on socio-economic tasks (group 3)")),
            ("work_group4", _("Work on administrative tasks (group 4)")),
            ("work_closing", _("Work on closing meetings (groups 1-2)")),
            ("coordinate", _("Coordinate the office")),
        ]

    @property
    def case_id(self) -> int | None:
        return self.artifact_object_id


class OfficeTaskProcess(Process):
    """A one-task process the office meeting starts for a case; ``artifact`` is the Case."""

    class Meta:
        proxy = True
        verbose_name = _("office task process")
        verbose_name_plural = _("office task processes")


class TaskName(models.TextChoices):
    TRIAGE = "triage", _("Triage: prepare the case for the office meeting")
    INFORMATION = "information", _("General information")
    PEDAGOGICAL = "pedagogical", _("Pedagogical support")
    SOCIO_ECONOMIC = "socio_economic", _("Socio-economic support")
    ADMINISTRATIVE = "administrative", _("Administrative support")
    CLOSING_MEETING = "closing_meeting", _("Closing meeting")
    LIBRARY_PUBLICATION = "library_publication", _("Publish to the case library")
    OFFICE_TASK = "office_task", _("Task decided by the office meeting")


# Days from creation to due date; an office may override any of them (DuePeriod).
DEFAULT_DUE_DAYS: dict[str, int] = {
    TaskName.TRIAGE: 3,
    TaskName.INFORMATION: 14,
    TaskName.PEDAGOGICAL: 14,
    TaskName.SOCIO_ECONOMIC: 14,
    TaskName.ADMINISTRATIVE: 14,
    TaskName.CLOSING_MEETING: 7,
    TaskName.LIBRARY_PUBLICATION: 14,
    TaskName.OFFICE_TASK: 14,
}
MAX_DUE_DAYS = 365
# How long before the due date the holder is reminded.
REMINDER_BEFORE = datetime.timedelta(days=1)


class DuePeriod(models.Model):
    """An office's own due period for one kind of task."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="due_periods"
    )
    task = models.CharField(_("task"), max_length=32, choices=TaskName.choices)
    # A year at most: a longer period is a typo (a task nobody is reminded of for years).
    days = models.PositiveSmallIntegerField(
        _("days to complete"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DUE_DAYS)],
        help_text=_("From 1 to 365 days; applies to tasks created from now on."),
    )

    class Meta:
        verbose_name = _("due period")
        verbose_name_plural = _("due periods")
        constraints = [
            models.UniqueConstraint(fields=["office", "task"], name="due_period_once"),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=MAX_DUE_DAYS), name="due_period_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_task_display()}: {self.days}"


class CaseTask(models.Model):
    """The office side of one viewflow task: its case, the group it is for, when it is due.

    viewflow's Task knows the flow; this row knows the office. It is created in the same
    transaction as the task (the node's onCreate hook).
    """

    task = models.OneToOneField(
        Task,
        verbose_name=_("task"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="case_task",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="tasks"
    )
    name = models.CharField(_("name"), max_length=32, choices=TaskName.choices)
    # What the office meeting asked for, for tasks it decided (``office_task``).
    title = models.CharField(_("title"), max_length=200, blank=True)
    group = models.PositiveSmallIntegerField(_("group"), choices=Group.choices)
    # A second group the task is offered to as well (the closing meeting: groups 1 and 2).
    second_group = models.PositiveSmallIntegerField(
        _("also offered to group"), choices=Group.choices, null=True, blank=True
    )
    coordinators_only = models.BooleanField(_("coordinators only"), default=False)
    due_at = models.DateTimeField(_("due"), db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        ordering = ["due_at", "task_id"]

    def __str__(self) -> str:
        return f"{self.display_title} (case #{self.case_id})"

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_name_display())

    @property
    def groups(self) -> list[int]:
        return [self.group] if self.second_group is None else [self.group, self.second_group]


class Notification(models.Model):
    """A message for one person, stored first and pushed over the websocket on commit."""

    class Kind(models.TextChoices):
        TASK_AVAILABLE = "task.available", _("A task is available to your group")
        TASK_CLAIMED = "task.claimed", _("A task was claimed")
        TASK_ASSIGNED = "task.assigned", _("A task was assigned to you")
        TASK_RELEASED = "task.released", _("A task was given back")
        TASK_DUE = "task.due", _("A task of yours is due soon")
        TASK_OVERDUE = "task.overdue", _("A task is overdue")
        TASK_CANCELLED = "task.cancelled", _("A task was cancelled")
        CASE_STAGE_CHANGED = "case.stage_changed", _("A case moved to another stage")
        CASE_INVITED = "case.invited", _("You were invited to a case")
        REFERRAL_ANSWERED = "referral.answered", _("A referral was answered")
        REFERRAL_ENDED = "referral.ended", _("A referral you held ended")
        MEETING_INVITED = "meeting.invited", _("You were invited to a meeting")
        MEETING_CHANGED = "meeting.changed", _("A meeting was moved or cancelled")
        LIBRARY_DRAFT_WAITING = "library.draft_waiting", _("A library draft waits for review")
        PLAN_TERM_STARTED = "plan.term_started", _("The term of a plan's action began")
        PLAN_AT_RISK = "plan.at_risk", _("An indicator of a plan is at risk")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the (recipient, id) index below serves every lookup by recipient
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # A recipient's newest first (``ORDER BY id DESC LIMIT …``): with the recipient
            # alone the planner walked every notification of the installation backwards from
            # the newest, and the pages' notification read grew with the county
            # (docs/PERFORMANCE.md, county rehearsal).
            models.Index(fields=["recipient", "id"], name="notification_recipient_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"

    def as_message(self) -> dict[str, object]:
        """The websocket/API form: ``{"type", "id", "case", "task"?, ...}``."""
        message: dict[str, object] = {
            "type": self.kind,
            "id": self.pk,
            "case": self.case_id,
            "created_at": api_datetime(self.created_at),
            "read": self.read_at is not None,
        }
        if self.task_id is not None:
            message["task"] = self.task_id
        message.update(self.data)
        return message


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever has the token reads their meetings.

    Calendar programs cannot log in, so the token is the key; it can be rotated at any time,
    and the feed carries no student names (subscribed calendars live on other servers).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


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
        # The tables keep the names they had when the records lived in casework.
        db_table = "casework_meeting"
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
        when = formats.date_format(timezone.localtime(self.scheduled_for), "SHORT_DATETIME_FORMAT")
        return f"{self.get_kind_display()} {when}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.scheduled_for + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        """Decisions and attendance may still be recorded."""
        return self.status == self.Status.SCHEDULED

    @property
    def has_begun(self) -> bool:
        """The meeting's day has come: what it decided can be recorded, its minutes closed."""
        return timezone.localdate(self.scheduled_for) <= timezone.localdate()


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
        # The tables keep the names they had when the records lived in casework.
        db_table = "casework_agendaitem"
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
        # The tables keep the names they had when the records lived in casework.
        db_table = "casework_attendance"
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
        # The tables keep the names they had when the records lived in casework.
        db_table = "casework_decision"
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "item__position", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
