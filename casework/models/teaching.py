"""Which classes a member of staff teaches: the classes on their watchlist."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.office import School


class ClassAssignment(models.Model):
    """A member of staff teaches (or is form tutor of) a class of their school.

    Classes are the ``class_name`` of the school's students (e.g. ``10A``); there is no class
    register of its own, so an assignment names a class the way the student register does.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of staff"),
        on_delete=models.CASCADE,
        related_name="class_assignments",
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+"
    )
    class_name = models.CharField(_("class"), max_length=40)
    is_form_tutor = models.BooleanField(_("form tutor"), default=False)

    class Meta:
        verbose_name = _("class assignment")
        verbose_name_plural = _("class assignments")
        ordering = ["school", "class_name", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "class_name"], name="class_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.class_name}"

    def clean(self) -> None:
        self.class_name = (self.class_name or "").strip()
        user_school = getattr(self.user, "school_id", None) if self.user_id else None
        if self.user_id and self.school_id and user_school != self.school_id:
            raise ValidationError(
                {"school": _("A member of staff is assigned classes of their own school only.")}
            )
