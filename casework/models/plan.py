"""The plan's measurements: structured assessments and the progress reviews of objectives.

The seed's templates review "academic performance, emotional wellbeing and social integration";
each is a short form of scored items, filled in at the start of the intervention and again at
closing, so the closing review can show what changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from casework.models.case import Case, Objective

SCORE_MIN, SCORE_MAX = 1, 5


class Area(models.TextChoices):
    ACADEMIC = "academic", _("Academic performance")
    EMOTIONAL = "emotional", _("Emotional wellbeing")
    SOCIAL = "social", _("Social integration")


# Each item is scored 1 (serious difficulty) to 5 (doing well).
ASSESSMENT_ITEMS: dict[str, list[tuple[str, StrOrPromise]]] = {
    Area.ACADEMIC: [
        ("grades", _("Grades and results")),
        ("attendance", _("Attendance")),
        ("homework", _("Work done outside class")),
        ("engagement", _("Engagement in class")),
        ("practice", _("Practical training and workshop")),
    ],
    Area.EMOTIONAL: [
        ("mood", _("Mood and stress")),
        ("self_esteem", _("Self-esteem")),
        ("motivation", _("Motivation to continue")),
        ("coping", _("Coping with difficulties")),
    ],
    Area.SOCIAL: [
        ("peers", _("Relations with classmates")),
        ("teachers", _("Relations with teachers")),
        ("family", _("Support from the family")),
        ("belonging", _("Sense of belonging to the school")),
    ],
}


class Assessment(models.Model):
    class Phase(models.TextChoices):
        INITIAL = "initial", _("At the start of the intervention")
        CLOSING = "closing", _("At closing")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessments"
    )
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    scores = models.JSONField(_("scores"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["case", "area", "phase"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "area", "phase"], name="assessment_once_per_area_and_phase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} ({self.get_phase_display()}) — case #{self.case_id}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())

    @property
    def average(self) -> float:
        return round(self.total / len(self.scores), 2) if self.scores else 0.0


class ObjectiveReview(models.Model):
    """The indicator's value at one moment, and the objective's status from then on."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="reviews"
    )
    value = models.CharField(_("indicator value"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Objective.Status.choices)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("objective review")
        verbose_name_plural = _("objective reviews")
        ordering = ["objective", "reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.value} ({self.get_status_display()})"
