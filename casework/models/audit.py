"""The append-only audit trail: every read and change of a case or a student.

Append-only is enforced three times: the model refuses to save an existing row or delete one,
its queryset refuses bulk update/delete, and on PostgreSQL a trigger refuses UPDATE and DELETE
from any client (migration 0002). Removing old rows under a retention policy is a job for the
database owner (TRUNCATE or a partition drop), not for the application.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import audit_chain

# pg_advisory_xact_lock key of the chain's head ("AUDIT" in ASCII).
CHAIN_LOCK = 0x4155444954


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    def bulk_create(  # type: ignore[override]
        self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any
    ) -> list[AuditEvent]:
        rows = list(objs)
        with transaction.atomic(using=self.db):
            _chain(rows, self.db)
            return super().bulk_create(rows, *args, **kwargs)  # type: ignore[arg-type,return-value]


def _chain(rows: list[AuditEvent], using: str) -> None:
    """Give ``rows`` the next ``seq`` numbers and their hashes, under the chain's lock.

    On PostgreSQL a transaction-level advisory lock serialises every writer from reading the
    head to committing: two concurrent inserts can never both chain onto the same row (the
    unique ``seq`` would refuse the second, but as a 500). The lock is held until the caller's
    transaction ends, which is short: the audit row is the last write of a service. SQLite
    serialises writers by itself (the embedded single-user default).
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    head = (
        AuditEvent.objects.using(using)
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "row_hash")
        .first()
    )
    seq, prev = (head[0] or 0, head[1]) if head else (0, audit_chain.GENESIS)
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.row_hash = prev = audit_chain.row_hash(prev, row.chained_fields())


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
    # The hash chain (see casework/audit_chain.py): position, the previous row's hash, its own.
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

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
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        with transaction.atomic(using=using):
            _chain([self], using)
            super().save(*args, **kwargs)

    def chained_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in audit_chain.FIELDS}

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")
