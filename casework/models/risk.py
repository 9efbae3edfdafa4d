"""Risk indicators: the thresholds a school uses, and each student's latest assessment.

The indicators are the ABC of early-warning systems — Attendance, Behaviour, Course failures —
plus the seed's self-assessment tool. The defaults and their sources are in docs/MONITORING.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.office import School
from casework.models.student import Student


class RiskLevel(models.TextChoices):
    NONE = "none", _("No risk indicator")
    CAUTION = "caution", _("Caution")
    HIGH = "high", _("High risk")

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self]


LEVEL_RANK = {RiskLevel.NONE: 0, RiskLevel.CAUTION: 1, RiskLevel.HIGH: 2}

# The defaults (docs/MONITORING.md gives the source of each).
ATTENDANCE_CAUTION_BELOW = Decimal(95)
ATTENDANCE_HIGH_BELOW = Decimal(90)
FAILURES_CAUTION_AT_LEAST: int | None = None
FAILURES_HIGH_AT_LEAST = 1
BEHAVIOUR_CAUTION_AT_LEAST = 2
BEHAVIOUR_HIGH_AT_LEAST = 6
SELF_ASSESSMENT_CAUTION_BELOW = Decimal(60)
SELF_ASSESSMENT_HIGH_BELOW = Decimal(40)
WINDOW_DAYS = 365


class RiskPolicy(models.Model):
    """A school's own thresholds; a school without one uses the defaults."""

    school = models.OneToOneField(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="risk_policy"
    )
    attendance_caution_below = models.DecimalField(
        _("attendance: caution below (%)"),
        max_digits=5,
        decimal_places=2,
        default=ATTENDANCE_CAUTION_BELOW,
    )
    attendance_high_below = models.DecimalField(
        _("attendance: high risk below (%)"),
        max_digits=5,
        decimal_places=2,
        default=ATTENDANCE_HIGH_BELOW,
        help_text=_("Chronic absence: missing 10% or more of school days."),
    )
    failures_caution_at_least = models.PositiveSmallIntegerField(
        _("failed courses: caution from"),
        null=True,
        blank=True,
        default=FAILURES_CAUTION_AT_LEAST,
        help_text=_("Empty: no caution level, only high."),
    )
    failures_high_at_least = models.PositiveSmallIntegerField(
        _("failed courses: high risk from"), default=FAILURES_HIGH_AT_LEAST
    )
    behaviour_caution_at_least = models.PositiveSmallIntegerField(
        _("behaviour incidents: caution from"), default=BEHAVIOUR_CAUTION_AT_LEAST
    )
    behaviour_high_at_least = models.PositiveSmallIntegerField(
        _("behaviour incidents: high risk from"), default=BEHAVIOUR_HIGH_AT_LEAST
    )
    self_assessment_caution_below = models.DecimalField(
        _("self-assessment: caution below"),
        max_digits=5,
        decimal_places=2,
        default=SELF_ASSESSMENT_CAUTION_BELOW,
        help_text=_("For scores recorded or imported without an instrument (0-100)."),
    )
    self_assessment_high_below = models.DecimalField(
        _("self-assessment: high risk below"),
        max_digits=5,
        decimal_places=2,
        default=SELF_ASSESSMENT_HIGH_BELOW,
    )
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"),
        default=WINDOW_DAYS,
        help_text=_(
            "Behaviour incidents are counted over this many days; older attendance, failures "
            "and scores no longer count."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("risk thresholds")
        verbose_name_plural = _("risk thresholds")

    def __str__(self) -> str:
        return str(_("Risk thresholds of %(school)s") % {"school": self.school.code})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.attendance_high_below > self.attendance_caution_below:
            errors["attendance_high_below"] = str(_("Must not be above the caution threshold."))
        if self.self_assessment_high_below > self.self_assessment_caution_below:
            errors["self_assessment_high_below"] = str(
                _("Must not be above the caution threshold.")
            )
        if (
            self.failures_caution_at_least is not None
            and self.failures_caution_at_least > self.failures_high_at_least
        ):
            errors["failures_caution_at_least"] = str(_("Must not be above the high threshold."))
        if self.behaviour_caution_at_least > self.behaviour_high_at_least:
            errors["behaviour_caution_at_least"] = str(_("Must not be above the high threshold."))
        for name in ("attendance_caution_below", "attendance_high_below"):
            if not 0 <= getattr(self, name) <= 100:
                errors[name] = str(_("A percentage between 0 and 100."))
        if self.window_days < 7:
            errors["window_days"] = str(_("At least 7 days."))
        if errors:
            raise ValidationError(errors)


class StudentRisk(models.Model):
    """A student's latest risk assessment, kept so lists can be sorted and filtered by risk.

    Derived data: recomputed when the student's signals change, when a list finds it computed
    on an earlier day or before the school's thresholds changed, and by ``recompute_risk``.
    """

    student = models.OneToOneField(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk",
    )
    level = models.CharField(
        _("level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    level_rank = models.PositiveSmallIntegerField(_("level rank"), default=0)
    previous_level = models.CharField(
        _("level a week earlier"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    worsened = models.BooleanField(_("worse than a week earlier"), default=False)
    high_count = models.PositiveSmallIntegerField(_("high indicators"), default=0)
    caution_count = models.PositiveSmallIntegerField(_("caution indicators"), default=0)
    indicators = models.JSONField(_("indicators"), default=list)
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        indexes = [models.Index(fields=["level_rank"])]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.level}"
