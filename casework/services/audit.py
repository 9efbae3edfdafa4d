"""Writing the audit trail. Called inside the transaction of the change it records."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction

from casework import audit_chain
from casework.context import get_request_id
from casework.models import AuditEvent, User
from casework.models.audit import chain_link

log = logging.getLogger(__name__)


def _school_id(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    for path in (
        "school_id",
        "office.school_id",
        "case.office.school_id",
        "student.school_id",
    ):
        value: Any = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return int(value)
    return None


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    row = audit_row(
        actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id, data=data
    )
    row.save(force_insert=True)
    return row


def audit_row(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """The row ``audit_record`` writes, not written yet (to insert with others at once)."""
    signed_in = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent(
        actor=signed_in,
        actor_username=signed_in.get_username() if signed_in is not None else "",
        action=action,
        object_type=object_type or (obj._meta.model_name or "" if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        school_id=_school_id(obj),
        request_id=get_request_id(),
        data=data or {},
    )


class ReadInChange:
    """A read whose audit row is written in the transaction of the change it leads to.

    One transaction (one commit) instead of two. But the read happened whether or not the
    change goes through: if the change is refused — before its transaction (403, 400) or inside
    it, rolled back with it (409) — ``written_or_write_alone`` writes the row again on its own.
    """

    def __init__(self, *, actor: User, obj: models.Model) -> None:
        self.actor, self.obj, self.committed = actor, obj, False

    def write(self) -> None:
        """Inside the change's transaction, first."""
        audit_record(actor=self.actor, action=AuditEvent.Action.READ, obj=self.obj)
        transaction.on_commit(self._commit)

    def _commit(self) -> None:
        self.committed = True

    def written_or_write_alone(self) -> None:
        """After the change was refused: the row, unless the change's transaction kept it."""
        if not self.committed:
            audit_record(actor=self.actor, action=AuditEvent.Action.READ, obj=self.obj)


def audit_list(*, actor: User, object_type: str, ids: list[Any], **data: Any) -> AuditEvent:
    """One row for a list that was shown: which objects the reader saw."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        object_type=object_type,
        data={"ids": ids, **data},
    )


# -- verification and checkpoints -------------------------------------------------------------


@dataclass(frozen=True)
class AuditVerification:
    rows: int
    head_seq: int
    checkpoint: audit_chain.Checkpoint | None


def _chain_rows() -> Iterator[tuple[int, dict[str, Any], str, str]]:
    names = ("id", *audit_chain.FIELDS, "prev_hash", "row_hash")
    for values in AuditEvent.objects.order_by("seq").values_list(*names).iterator(2000):
        row = dict(zip(names, values, strict=True))
        yield row["id"], {n: row[n] for n in audit_chain.FIELDS}, row["prev_hash"], row["row_hash"]


def _hash_of(seq: int) -> str | None:
    return AuditEvent.objects.filter(seq=seq).values_list("row_hash", flat=True).first()


def audit_link() -> int:
    """Link every committed row that is not on the chain yet; how many (see models/audit.py)."""
    return chain_link()


def audit_verify() -> AuditVerification:
    """Check the whole trail against its hash chain and the latest signed checkpoint.

    Rows committed but not linked yet (moments old, or left by a worker that stopped) are linked
    first, so the walk covers every committed row.
    Raises audit_chain.ChainBroken (or ForgedCheckpoint) naming the first row that does not fit.
    """
    audit_link()
    head_seq, _, count = audit_chain.chain_verify(_chain_rows())
    checkpoint = audit_chain.checkpoints_verify(head_seq, _hash_of)
    return AuditVerification(rows=count, head_seq=head_seq, checkpoint=checkpoint)


def audit_checkpoint() -> audit_chain.Checkpoint:
    """Sign the chain's current head into the checkpoint file (outside the database).

    Rows committed but not linked yet are linked first: the checkpoint covers all of them.
    """
    audit_link()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first()
    if head is None or head[0] is None:
        return audit_chain.checkpoint_write(0, audit_chain.GENESIS)
    return audit_chain.checkpoint_write(head[0], head[1])


def audit_verify_and_report() -> bool:
    """The nightly check: verify, checkpoint when intact, tell the administrators when not.

    Administrators are the active superusers with an e-mail address, and ADMINS.
    """
    try:
        result = audit_verify()
    except (audit_chain.ChainBroken, audit_chain.ForgedCheckpoint) as exc:
        log.error("audit trail NOT intact: %s", exc)
        _tell_administrators(str(exc))
        return False
    audit_checkpoint()
    log.info("audit trail intact: %d rows, head #%d", result.rows, result.head_seq)
    return True


def _tell_administrators(problem: str) -> None:
    recipients = list(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients += [email for _, email in settings.ADMINS]
    subject = "Action Office: the audit trail is NOT intact"
    body = (
        f"The nightly verification of the audit trail failed:\n\n{problem}\n\n"
        "Run `python manage.py audit_verify` on the server for details, and compare with the "
        "database backups (docs/DEPLOYMENT.md, Audit trail)."
    )
    if recipients:
        send_mail(subject, body, None, sorted(set(recipients)))
