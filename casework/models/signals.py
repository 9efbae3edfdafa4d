"""Monitoring signals: what teachers observe and record about a student (seed, step 1).

A signal is one dated fact: attendance over a period, a count of failed courses or of behaviour
incidents, a self-assessment score, or a free-text observation. Its natural key is (student,
kind, date observed) — plus the text itself for observations, so that two different notes on one
day are two signals while re-importing the same file changes nothing.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.case import Case
from casework.models.office import School
from casework.models.student import Student


class SignalKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance (percent present)")
    GRADE_FAILURES = "grade_failures", _("Failed courses (count)")
    BEHAVIOUR = "behaviour", _("Behaviour incidents (count)")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment score")
    OBSERVATION = "observation", _("Observation (free text)")


class SignalSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    IMPORT = "import", _("Imported from a file")
    INSTRUMENT = "instrument", _("Filled in by the student")


def text_key(text: str) -> str:
    """The part of the natural key that tells one observation of a day from another."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest() if text else ""


class ImportRun(models.Model):
    """One accepted file import; refused files write nothing, not even this."""

    class Kind(models.TextChoices):
        STUDENTS = "students", _("Students")
        SIGNALS = "signals", _("Signals")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="imports"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.started_at:%Y-%m-%d %H:%M})"


class Signal(models.Model):
    Kind = SignalKind
    Source = SignalSource

    # No index of its own: (student, observed_on) below and the natural key both begin with
    # student and serve every look-up by it; a third index only slowed each insert and took space.
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="signals",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    # Numeric kinds only: percent present, a count, or a score on 0-100.
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2, null=True, blank=True)
    # Observations only: the observation itself.
    text = models.TextField(_("observation"), blank=True)
    text_key = models.CharField(_("text key"), max_length=40, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    observed_on = models.DateField(_("observed on"))
    source = models.CharField(
        _("source"), max_length=16, choices=SignalSource.choices, default=SignalSource.MANUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instrument = models.ForeignKey(
        "casework.Instrument",
        verbose_name=_("instrument"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
        help_text=_("The last import that created or changed this signal."),
    )
    # The case that was open when the signal was recorded: it is on that case's timeline.
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "kind", "observed_on", "text_key"], name="signal_natural_key"
            ),
            # The database keeps the rules the services check, so no path can store nonsense.
            models.CheckConstraint(
                condition=(Q(kind=SignalKind.OBSERVATION) & Q(value__isnull=True) & ~Q(text=""))
                | (~Q(kind=SignalKind.OBSERVATION) & Q(value__isnull=False) & Q(text="")),
                name="signal_value_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[SignalKind.ATTENDANCE, SignalKind.SELF_ASSESSMENT])
                | (Q(value__gte=0) & Q(value__lte=100)),
                name="signal_percent_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[SignalKind.GRADE_FAILURES, SignalKind.BEHAVIOUR])
                | Q(value__gte=0),
                name="signal_count_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["student", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_value} ({self.observed_on})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.text_key = text_key(self.text) if self.kind == SignalKind.OBSERVATION else ""
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_value(self) -> str:
        if self.kind == SignalKind.OBSERVATION:
            return self.text if len(self.text) <= 60 else f"{self.text[:57]}..."
        if self.value is None:
            return ""
        number = f"{self.value.normalize():f}"
        return f"{number}%" if self.kind == SignalKind.ATTENDANCE else number
