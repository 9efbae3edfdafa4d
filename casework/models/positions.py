"""School duties that the source documents name, held by staff beside their office group.

A position is not an office role: the director or a form tutor need not sit in the office. The
counselling procedure, the action plan and the practice programme assign work to positions
("the deputy director", "form tutors", "CEIAC"), so the product resolves them to people here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.models.office import School


class PositionKind(models.TextChoices):
    DIRECTOR = "director", _("director")
    DEPUTY_DIRECTOR = "deputy_director", _("deputy director")
    HEAD_OF_SECTION = "head_of_section", _("head of section")
    FORM_TUTOR = "form_tutor", _("form tutor")
    STUDY_COUNSELLOR = "study_counsellor", _("study counsellor")
    CAREER_COUNSELLOR = "career_counsellor", _("career counsellor")
    QUALITY_COMMISSION = "quality_commission", _("quality commission (CEIAC)")


class Position(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of staff"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="positions"
    )
    position = models.CharField(
        pgettext_lazy("school duty", "position"), max_length=30, choices=PositionKind.choices
    )
    # A form tutor holds the position for one class (the student register's class_name).
    class_name = models.CharField(_("class"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("school duty", "position")
        verbose_name_plural = _("positions")
        ordering = ["school", "position", "class_name", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "position", "class_name"], name="position_held_once"
            ),
            models.CheckConstraint(
                condition=Q(position="form_tutor", class_name__gt="")
                | (~Q(position="form_tutor") & Q(class_name="")),
                name="position_class_only_for_form_tutor",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="position_valid_range",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_position_display()
        return f"{self.user} — {label} {self.class_name}".rstrip()

    def is_current(self, day: datetime.date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_until is None or day <= self.valid_until)
