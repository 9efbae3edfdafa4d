"""``manage.py audit_verify``: exit 0 when the audit trail is intact, 1 naming the first
changed, missing or truncated row. ``--checkpoint`` then signs the verified head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.audit_chain import ChainBroken, ForgedCheckpoint
from casework.services.audit import audit_checkpoint, audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain against its signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="After a successful check, sign the current head into the checkpoint file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = audit_verify()
        except (ChainBroken, ForgedCheckpoint) as exc:
            raise CommandError(f"audit trail NOT intact: {exc}") from None
        checkpoint = result.checkpoint
        against = f"checkpoint of {checkpoint.at} (#{checkpoint.seq})" if checkpoint else "none"
        self.stdout.write(
            f"audit trail intact: {result.rows} rows, head #{result.head_seq}; latest {against}"
        )
        if options["checkpoint"]:
            written = audit_checkpoint()
            self.stdout.write(f"checkpoint written: #{written.seq} at {written.at}")
