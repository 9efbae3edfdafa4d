"""A case: one student at risk, taken by the office through the five steps of the seed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from casework.models.office import Group, Office
from casework.models.risk import RiskLevel
from casework.models.student import Student


class Stage(models.TextChoices):
    MONITORING = "monitoring", _("Monitoring")
    SHARED = "shared", _("Shared with the office")
    INTERVENTION = "intervention", _("Intervention")
    CLOSING = "closing", _("Closing")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = [Stage.MONITORING, Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING]
CLOSED_STAGES = [Stage.ARCHIVED, Stage.WITHDRAWN]


class Function(models.TextChoices):
    """The four functions of the office; each needed function becomes work for its group."""

    INFORMATION = "information", _("General information")
    PEDAGOGICAL = "pedagogical", _("Pedagogical support")
    SOCIO_ECONOMIC = "socio_economic", _("Socio-economic support")
    ADMINISTRATIVE = "administrative", _("Administrative support")

    @property
    def group(self) -> Group:
        return FUNCTION_GROUP[self]


FUNCTION_GROUP: dict[str, Group] = {
    Function.INFORMATION: Group.EDUCATORS,
    Function.PEDAGOGICAL: Group.PEDAGOGY,
    Function.SOCIO_ECONOMIC: Group.SOCIAL,
    Function.ADMINISTRATIVE: Group.ADMINISTRATION,
}


def _has_objective(case: models.Model) -> bool:
    return Objective.objects.filter(case_id=case.pk).exists()


def _has_closing_review(case: models.Model) -> bool:
    return ClosingReview.objects.filter(case_id=case.pk).exists()


class Case(ConcurrentTransitionMixin, models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="cases"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="cases"
    )
    stage = FSMField(
        _("stage"), default=Stage.MONITORING, choices=Stage.choices, protected=True, db_index=True
    )
    functions = models.JSONField(_("needed functions"), default=list)
    reason = models.TextField(_("reason for flagging"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.PROTECT,
        related_name="flagged_cases",
    )
    previous_case = models.ForeignKey(
        "self",
        verbose_name=_("previous case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reopened_as",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    # Internal office members see a case once it has been shared with the office (need to know);
    # keeping the moment, not just the stage, covers a case withdrawn before or after sharing.
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The student's risk level when the case was opened, kept for the outcomes (effectiveness by
    # risk level); blank for cases opened before it was kept.
    risk_at_flag = models.CharField(
        _("risk level when flagged"), max_length=16, choices=RiskLevel.choices, blank=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open case per student: a second flag must point at the open one instead.
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(stage__in=OPEN_STAGES),
                name="case_one_open_per_student",
            ),
        ]
        indexes = [models.Index(fields=["office", "stage"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.student} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def groups_needed(self) -> list[Group]:
        return [FUNCTION_GROUP[f] for f in self.functions if f in FUNCTION_GROUP]

    # -- transitions: fields only; the services check roles and write the timeline ----------

    def _moved(self) -> None:
        self.stage_changed_at = timezone.now()

    @transition(field=stage, source=Stage.MONITORING, target=Stage.SHARED)
    def share(self) -> None:
        self._moved()
        self.shared_at = self.stage_changed_at

    @transition(
        field=stage,
        source=Stage.SHARED,
        target=Stage.INTERVENTION,
        conditions=[_has_objective],
    )
    def start_intervention(self) -> None:
        self._moved()

    @transition(field=stage, source=Stage.INTERVENTION, target=Stage.CLOSING)
    def start_closing(self) -> None:
        self._moved()

    @transition(
        field=stage, source=Stage.CLOSING, target=Stage.ARCHIVED, conditions=[_has_closing_review]
    )
    def archive(self) -> None:
        self._moved()
        self.closed_at = self.stage_changed_at

    @transition(field=stage, source=OPEN_STAGES, target=Stage.WITHDRAWN)
    def withdraw(self) -> None:
        self._moved()
        self.closed_at = self.stage_changed_at


TRANSITIONS = ("share", "start_intervention", "start_closing", "archive", "withdraw")
# What each transition is called on the buttons and in the messages that refuse it.
TRANSITION_LABELS = {
    "share": _("Share with the office"),
    "start_intervention": _("Start the intervention"),
    "start_closing": _("Start closing"),
    "archive": _("Archive"),
    "withdraw": _("Withdraw the case"),
}


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when, from which stage to which, and why."""

    class Kind(models.TextChoices):
        FLAGGED = "flagged", _("Flagged")
        TRANSITION = "transition", _("Stage changed")
        OBJECTIVE = "objective", _("Objective added")
        CLOSING_REVIEW = "closing_review", _("Closing review")
        SIGNAL = "signal", _("Signal recorded")
        TASK = "task", _("Task")
        MEETING = "meeting", _("Meeting")
        REFERRAL = "referral", _("Referral")
        ASSESSMENT = "assessment", _("Assessment")
        NOTE = "note", _("Note")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_stage = models.CharField(_("from"), max_length=32, blank=True, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=32, blank=True, choices=Stage.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.name}"


class Objective(models.Model):
    """A SMART objective of the case's personalised plan."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="objectives"
    )
    description = models.TextField(_("specific description"))
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=200)
    target = models.CharField(_("target"), max_length=200)
    deadline = models.DateField(_("deadline"))
    function = models.CharField(_("function"), max_length=32, choices=Function.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_objectives",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ON_TRACK
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("SMART objective")
        verbose_name_plural = _("SMART objectives")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class ClosingReview(models.Model):
    """The closing meeting's record: feedback, impact, lessons learned. ``archive`` needs it."""

    class ObjectivesMet(models.TextChoices):
        ALL = "all", _("All met")
        PARTLY = "partly", _("Partly met")
        NONE = "none", _("Not met")

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="closing_review"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback = models.TextField(_("final feedback"))
    # The seed's closing meeting collects feedback from everyone involved.
    feedback_student = models.TextField(_("feedback from the student"), blank=True)
    feedback_family = models.TextField(_("feedback from the family"), blank=True)
    feedback_staff = models.TextField(_("feedback from the staff"), blank=True)
    objectives_met = models.CharField(
        _("objectives met"), max_length=16, choices=ObjectivesMet.choices
    )
    impact = models.TextField(_("impact"))
    lessons_learned = models.TextField(_("lessons learned"))
    what_worked = models.TextField(_("what worked (good practice)"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("closing review")
        verbose_name_plural = _("closing reviews")

    def __str__(self) -> str:
        return f"Closing review of case #{self.case_id}"
