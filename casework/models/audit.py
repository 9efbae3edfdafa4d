"""The append-only audit trail: every read and change of a case or a student.

Append-only is enforced three times: the model refuses to save an existing row or delete one,
its queryset refuses bulk update/delete, and on PostgreSQL a trigger refuses UPDATE and DELETE
from any client (migration 0002). Removing old rows under a retention policy is a job for the
database owner (TRUNCATE or a partition drop), not for the application.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("read")
        LIST = "list", _("list")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        TRANSITION = "transition", _("transition")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")

    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # No database-level foreign keys: the trail must outlive the users and records it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    school_id = models.BigIntegerField(_("school id"), null=True, blank=True, db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} "
            f"{self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")
