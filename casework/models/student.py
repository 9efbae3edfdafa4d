"""Students of a school: the people the office exists for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.office import School


class Enrolment(models.TextChoices):
    """Where the student stands with the school; anything but enrolled has a ``left_on`` day."""

    ENROLLED = "enrolled", _("Enrolled")
    TRANSFERRED = "transferred", _("Transferred")
    GRADUATED = "graduated", _("Graduated")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Student(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="students"
    )
    code = models.CharField(_("code"), max_length=40)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    class_name = models.CharField(_("class"), max_length=40)
    programme = models.CharField(_("programme"), max_length=200)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Set by the student import; the outcomes (retention) are read from these two.
    status = models.CharField(
        _("enrolment status"), max_length=16, choices=Enrolment.choices, default=Enrolment.ENROLLED
    )
    left_on = models.DateField(_("left the school on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], name="student_code_unique_in_school"
            ),
            models.CheckConstraint(
                condition=models.Q(status="enrolled", left_on__isnull=True)
                | (~models.Q(status="enrolled") & models.Q(left_on__isnull=False)),
                name="student_left_on_with_status",
            ),
        ]
        indexes = [models.Index(fields=["school", "class_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.code})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
