"""Students of a school: the people the office exists for."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.office import School


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], name="student_code_unique_in_school"
            ),
        ]
        indexes = [models.Index(fields=["school", "class_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.code})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
