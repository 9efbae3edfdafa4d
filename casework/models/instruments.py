"""Instruments: the self-assessment tool and psychometric tests, defined as data.

An instrument is a list of Likert items, some reverse-scored, grouped into subscales, with
cut-offs on a 0-100 score. A student fills one in through a one-time link; the response keeps
the answers and the scores, and a self-assessment's score becomes a signal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.instrument_defaults import CODE as DEFAULT_INSTRUMENT_CODE
from casework.models.office import School
from casework.models.risk import RiskLevel
from casework.models.signals import Signal
from casework.models.student import Student

__all__ = [
    "DEFAULT_INSTRUMENT_CODE",
    "Instrument",
    "InstrumentLink",
    "InstrumentResponse",
    "Item",
    "Subscale",
]


class Instrument(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        PSYCHOMETRIC = "psychometric", _("Psychometric test")

    class RiskWhen(models.TextChoices):
        BELOW = "below", _("A low score signals risk")
        ABOVE = "above", _("A high score signals risk")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, default="ro", choices=[("ro", "Română"), ("en", "English")]
    )
    instructions = models.TextField(_("instructions for the student"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest answer"), default=1)
    scale_max = models.SmallIntegerField(_("highest answer"), default=5)
    scale_labels = models.JSONField(
        _("answer labels"),
        default=list,
        blank=True,
        help_text=_("One label per answer, from the lowest to the highest."),
    )
    risk_when = models.CharField(
        _("risk when the score is"), max_length=8, choices=RiskWhen.choices, default="below"
    )
    caution_cutoff = models.DecimalField(
        _("caution cut-off (0-100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    high_cutoff = models.DecimalField(
        _("high-risk cut-off (0-100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instruments",
        help_text=_("Empty: available to every school."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scale_min >= self.scale_max:
            errors["scale_max"] = str(_("Must be above the lowest answer."))
        elif self.scale_labels and len(self.scale_labels) != self.scale_max - self.scale_min + 1:
            errors["scale_labels"] = str(_("Give one label per answer, or none."))
        for name in ("caution_cutoff", "high_cutoff"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                errors[name] = str(_("A score between 0 and 100."))
        if self.caution_cutoff is not None and self.high_cutoff is not None and not errors:
            wrong = (
                self.high_cutoff > self.caution_cutoff
                if self.risk_when == self.RiskWhen.BELOW
                else self.high_cutoff < self.caution_cutoff
            )
            if wrong:
                errors["high_cutoff"] = str(_("Must be beyond the caution cut-off."))
        if errors:
            raise ValidationError(errors)

    @property
    def answers(self) -> list[tuple[int, str]]:
        labels = list(self.scale_labels or [])
        values = range(self.scale_min, self.scale_max + 1)
        return [(v, labels[i] if i < len(labels) else str(v)) for i, v in enumerate(values)]

    def normalise(self, mean: Decimal) -> Decimal:
        """A mean answer on the instrument's scale as a score from 0 to 100."""
        span = Decimal(self.scale_max - self.scale_min)
        score = (mean - self.scale_min) * 100 / span
        return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def level_for(self, score: Decimal) -> RiskLevel:
        def beyond(cutoff: Decimal | None) -> bool:
            if cutoff is None:
                return False
            return score < cutoff if self.risk_when == self.RiskWhen.BELOW else score > cutoff

        if beyond(self.high_cutoff):
            return RiskLevel.HIGH
        if beyond(self.caution_cutoff):
            return RiskLevel.CAUTION
        return RiskLevel.NONE


class Subscale(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="subscales"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("subscale")
        verbose_name_plural = _("subscales")
        ordering = ["instrument", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="subscale_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    subscale = models.ForeignKey(
        Subscale,
        verbose_name=_("subscale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    reverse = models.BooleanField(
        _("reverse-scored"),
        default=False,
        help_text=_("Agreeing with this item points towards risk; its answer is turned around."),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "position"], name="item_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    def scored(self, answer: int) -> int:
        if not self.reverse:
            return answer
        return self.instrument.scale_min + self.instrument.scale_max - answer


class InstrumentLink(models.Model):
    """A one-time link for a student: no account, an expiry, a single submission.

    Only a hash of the token is stored, so the link cannot be rebuilt from the database; the
    token itself is shown once, to the person who creates the link.
    """

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="links"
    )
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="instrument_links",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Revoked before it was used (given to the wrong student, sent to the wrong address...).
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instrument link")
        verbose_name_plural = _("instrument links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instrument} — {self.student_id} ({self.status})"

    @property
    def status(self) -> str:
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class InstrumentResponse(models.Model):
    link = models.OneToOneField(
        InstrumentLink,
        verbose_name=_("link"),
        on_delete=models.PROTECT,
        related_name="response",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="responses"
    )
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="instrument_responses",
    )
    answers = models.JSONField(_("answers"), help_text=_("Item position → answer given."))
    score = models.DecimalField(_("score (0-100)"), max_digits=5, decimal_places=1)
    subscale_scores = models.JSONField(_("subscale scores"), default=dict)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    signal = models.ForeignKey(
        Signal,
        verbose_name=_("signal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("instrument response")
        verbose_name_plural = _("instrument responses")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["student", "instrument", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} — {self.student_id}: {self.score}"
