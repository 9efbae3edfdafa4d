"""Action plans (seed 000): a school's plan for a school year, its objectives, the actions under
each (who is responsible, by position, and when), and the performance indicators of each action.

An indicator names a *measure*: what in the records counts towards it (activities, partners,
participants, ...; plans/measures.py), with a filter, so ``achieved`` is counted live from the
records dated within the action's term (plans/achieved.py). The ``manual`` measure counts the
values that the holders of the action's responsible positions enter, each with its evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import School
from plans.school_years import Term


class Measure(models.TextChoices):
    ACTIVITIES = "activities", _("information and counselling activities")
    STUDENTS_REACHED = "students_reached", _("students reached by activities")
    PARTNERS = "partners", _("partners identified")
    AGREEMENTS = "agreements", _("agreements signed")
    OPPORTUNITIES = "opportunities", _("opportunities held")
    PARTICIPANTS = "participants", _("students who completed a participation")
    DOSSIERS = "dossiers", _("complete mobility dossiers")
    REPORTS = "reports", _("approved reports")
    MANUAL = "manual", _("values entered with evidence")


class TermKind(models.TextChoices):
    MONTHS = "months", _("months")
    ANNUAL = "annual", _("annual")
    DURING_YEAR = "during_year", _("during the year")


class ActionPlan(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    # "2025-2026": 1 September to 31 August.
    school_year = models.CharField(_("school year"), max_length=9)
    # The template the plan was made from ("student_mobility"), if any: once per school year.
    template = models.CharField(_("template"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-school_year", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "template"],
                condition=~Q(template=""),
                name="plan_template_once_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.school_year}"


class PlanObjective(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("plan objective")
        verbose_name_plural = _("plan objectives")
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class PlanAction(models.Model):
    objective = models.ForeignKey(
        PlanObjective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="actions"
    )
    # Numbered through the whole plan, as the seed's table is.
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("action"))
    # Position codes (casework.PositionKind): whoever holds one of them answers for the action.
    responsible = models.JSONField(_("responsible"), default=list)
    term_kind = models.CharField(_("term"), max_length=12, choices=TermKind.choices)
    # The term's first and last day, within the plan's school year.
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    # When the holders of its responsible positions were told that its term began (once).
    term_notified_at = models.DateTimeField(_("term start notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_action_term_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @property
    def term(self) -> Term:
        return Term(self.term_kind, self.starts_on, self.ends_on)


class PlanIndicator(models.Model):
    action = models.ForeignKey(
        PlanAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="indicators"
    )
    text = models.TextField(_("indicator"))
    target = models.PositiveIntegerField(_("target"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # e.g. {"topic": "mobility", "with_attendance": true}; keys per measure (plans/measures.py).
    filter = models.JSONField(_("filter"), default=dict, blank=True)
    # When those responsible were reminded that it is at risk (once).
    at_risk_notified_at = models.DateTimeField(_("at risk notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=1), name="plan_indicator_target")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class IndicatorValue(models.Model):
    """A value of a ``manual`` indicator, with its evidence (a text, a link)."""

    indicator = models.ForeignKey(
        PlanIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    value = models.PositiveIntegerField(_("value"))
    evidence = models.TextField(_("evidence"))
    as_of = models.DateField(_("as of"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["as_of", "id"]

    def __str__(self) -> str:
        return f"{self.value} ({self.as_of:%d.%m.%Y})"
