"""The append-only audit trail: every read and change of a case or a student.

Append-only is enforced three times: the model refuses to save an existing row or delete one,
its queryset refuses bulk update/delete, and on PostgreSQL a trigger refuses UPDATE and DELETE
from any client (migration 0002). Removing old rows under a retention policy is a job for the
database owner (TRUNCATE or a partition drop), not for the application.

The one change a row ever sees is being *linked* onto the hash chain (casework/audit_chain.py):
a request writes its audit rows unlinked (``seq`` empty), in its own transaction and without any
lock, and once it has committed the linker gives them the next ``seq`` numbers and their hashes,
in a short transaction of its own under the chain's lock (migration 0013 lets the trigger pass
exactly that change, once). So writers of all workers never wait for one another on the chain.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import audit_chain

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the chain's head ("AUDIT" in ASCII).
CHAIN_LOCK = 0x4155444954
# Rows linked per transaction of the linker.
LINK_BATCH = 1000
# How long the background linker waits after a commit wakes it, to link the rows of the
# commits that follow together.
LINK_GATHER_SECONDS = 0.05


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
        created = super().bulk_create(list(objs), *args, **kwargs)  # type: ignore[arg-type]
        transaction.on_commit(lambda: link_soon(self.db), using=self.db, robust=True)
        return created  # type: ignore[return-value]


def chain_link(using: str = DEFAULT_DB_ALIAS) -> int:
    """Link every committed, unlinked row onto the chain, in ``id`` order; how many were linked.

    Each batch is one short transaction: the chain's lock (on PostgreSQL a transaction-level
    advisory lock, so two linkers never chain onto the same head; SQLite serialises writers by
    itself), the head, the unlinked rows, one UPDATE each. Rows of transactions still open are
    not visible yet: their own commit calls the linker again.
    """
    linked = 0
    while True:
        with transaction.atomic(using=using):
            connection = connections[using]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            rows = list(
                AuditEvent.objects.using(using)
                .filter(seq__isnull=True)
                .order_by("id")
                .only("id", *audit_chain.FIELDS)[:LINK_BATCH]
            )
            if not rows:
                return linked
            head = (
                AuditEvent.objects.using(using)
                .filter(seq__isnull=False)
                .order_by("-seq")
                .values_list("seq", "row_hash")
                .first()
            )
            seq, prev = (head[0] or 0, head[1]) if head else (0, audit_chain.GENESIS)
            links = []
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, prev
                row.row_hash = prev = audit_chain.row_hash(prev, row.chained_fields())
                links.append((row.seq, row.prev_hash, row.row_hash, row.pk))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {AuditEvent._meta.db_table} SET seq = %s, prev_hash = %s, "
                    "row_hash = %s WHERE id = %s AND seq IS NULL",
                    links,
                )
        linked += len(rows)
        if len(rows) < LINK_BATCH:
            return linked


class _BackgroundLinker:
    """One thread per process that links rows after their transactions commit.

    A commit only wakes it (no query, no lock on the request's path); it links whatever is
    waiting, so rows committed while it works are linked together in its next round.
    """

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        self.using: set[str] = set()

    def poke(self, using: str) -> None:
        self.using.add(using)
        self._wake.set()
        if self._thread is None or not self._thread.is_alive():
            with self._start:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(
                        target=self._run, name="audit-chain-linker", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # Let the commits of the next moment gather: one link transaction (and one WAL
            # flush) for all of them, instead of one per request.
            time.sleep(LINK_GATHER_SECONDS)
            self._wake.clear()
            for using in list(self.using):
                try:
                    chain_link(using)
                except Exception:  # the periodic link (casework.tasks.audit_link) retries
                    log.exception("linking the audit chain failed")
                finally:
                    connections[using].close()


_linker = _BackgroundLinker()


def link_soon(using: str = DEFAULT_DB_ALIAS) -> None:
    """After a commit that wrote audit rows: link them, in the background where configured."""
    if getattr(settings, "AUDIT_LINK_IN_BACKGROUND", True):
        _linker.poke(using)
    else:
        chain_link(using)


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
    # The hash chain (see casework/audit_chain.py): position, the previous row's hash, its own;
    # empty until the linker links the row, moments after its transaction commits.
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # What the linker looks for: small, since rows are linked moments after commit.
            models.Index(
                fields=["id"],
                condition=models.Q(seq__isnull=True),
                name="casework_audit_unlinked",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} "
            f"{self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only.")
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        super().save(*args, **kwargs)
        # robust: the change is committed whatever happens to the link; a link that failed is
        # logged and retried by the periodic link (casework.tasks.audit_link).
        transaction.on_commit(lambda: link_soon(using), using=using, robust=True)

    def chained_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in audit_chain.FIELDS}

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")
