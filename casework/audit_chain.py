"""The audit trail's hash chain and its signed checkpoints.

Each audit row carries ``seq`` (1, 2, 3, … without gaps), the previous row's hash and its own:
SHA-256 over the previous hash and the row's content. Changing a row breaks its hash; removing
one leaves a gap in ``seq``. Whoever owns the table could still rewrite the whole chain, or drop
its newest rows, and recompute the rest: the chain alone only shows that rows fit together.

So the head of the chain (its ``seq`` and hash) is checkpointed **outside the database**, in an
append-only file of lines signed with HMAC-SHA256 under a key that lives in the server's
environment, not in the database (AUDIT_CHECKPOINT_KEY, by default derived from SECRET_KEY).
The database owner can neither forge a checkpoint (no key) nor remove one (no access to the
server's files); a rewritten or truncated trail no longer matches the latest checkpoint.
Rows written after the latest checkpoint are covered by the next one (every few minutes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

GENESIS = "0" * 64
# Fields that the hash covers, in this order. ``id`` is left out: it is allocated by the
# database after the hash is computed; ``seq`` orders the chain instead.
FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "school_id",
    "request_id",
    "data",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    content = json.dumps(
        [_canonical(fields[name]) for name in FIELDS],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


# -- checkpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    at: str
    line: int


def _key() -> bytes:
    configured = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if configured:
        return str(configured).encode()
    # Domain-separated from every other use of SECRET_KEY.
    return hmac.new(settings.SECRET_KEY.encode(), b"audit-checkpoint", hashlib.sha256).digest()


def _mac(seq: int, head: str, at: str) -> str:
    return hmac.new(_key(), f"{seq}|{head}|{at}".encode(), hashlib.sha256).hexdigest()


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def checkpoint_write(seq: int, head: str) -> Checkpoint:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"seq": seq, "head": head, "at": at, "mac": _mac(seq, head, at)}
    # O_APPEND: concurrent writers add whole lines, none overwrites another.
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")
    return Checkpoint(seq, head, at, 0)


class ForgedCheckpoint(Exception):
    """A checkpoint line whose signature does not match: written without the key."""


def checkpoints_read() -> Iterator[Checkpoint]:
    path = checkpoint_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            yield _parse(line, number)


def _parse(line: str, number: int) -> Checkpoint:
    try:
        record = json.loads(line)
        seq, head, at, mac = (
            int(record["seq"]),
            str(record["head"]),
            str(record["at"]),
            record["mac"],
        )
    except (ValueError, KeyError, TypeError):
        raise ForgedCheckpoint(
            f"line {number} of {checkpoint_path()} is not a checkpoint"
        ) from None
    if not hmac.compare_digest(str(mac), _mac(seq, head, at)):
        raise ForgedCheckpoint(f"line {number} of {checkpoint_path()} has a wrong signature")
    return Checkpoint(seq, head, at, number)


# -- verification ------------------------------------------------------------------------------


class ChainBroken(Exception):
    """The trail was changed: the message names the first row that does not fit."""


def chain_verify(rows: Iterable[tuple[int, dict[str, Any], str, str]]) -> tuple[int, str, int]:
    """Walk ``(id, fields, prev_hash, row_hash)`` in ``seq`` order; (last seq, head, count).

    Raises ChainBroken naming the first changed or missing row.
    """
    expected, head, count = 1, GENESIS, 0
    for pk, fields, prev_hash, own_hash in rows:
        seq = fields["seq"]
        if seq != expected:
            raise ChainBroken(
                f"row #{expected} is missing (the next present row is #{seq}, id {pk})"
            )
        if prev_hash != head or row_hash(prev_hash, fields) != own_hash:
            raise ChainBroken(f"row #{seq} (id {pk}) was changed")
        expected, head, count = seq + 1, own_hash, count + 1
    return expected - 1, head, count


def checkpoints_verify(last_seq: int, hash_of: Callable[[int], str | None]) -> Checkpoint | None:
    """Compare the trail with the checkpoints; the latest one, or None when there is none yet.

    Every line's signature is checked; the latest checkpoint pins the whole chain up to its row
    (each hash covers the one before), so the earlier ones need no database look-up.
    """
    latest: Checkpoint | None = None
    for checkpoint in checkpoints_read():
        if latest is None or checkpoint.seq >= latest.seq:
            latest = checkpoint
    if latest is None or latest.seq == 0:
        return latest
    if latest.seq > last_seq:
        raise ChainBroken(
            f"the trail is truncated: rows after #{last_seq} are missing (the checkpoint of "
            f"{latest.at} recorded row #{latest.seq})"
        )
    if hash_of(latest.seq) != latest.head:
        raise ChainBroken(
            f"row #{latest.seq} does not match the checkpoint of {latest.at}: the trail up to "
            f"it was rewritten"
        )
    return latest
