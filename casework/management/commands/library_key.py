"""This deployment's library signing key: the public half, and rotation.

manage.py library_key show      # key id and public key (base64 of the raw 32 bytes)
manage.py library_key rotate    # a new key pair; give partners the new public key

The private key never leaves the server: no command prints it (docs/LIBRARY.md, "Signature").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casework.services.library_keys import own_key_rotate, own_public_key


class Command(BaseCommand):
    help = "Show this deployment's library signing key (public half) or rotate it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="print the key id and the base64 public key")
        rotate = sub.add_parser("rotate", help="replace the key pair; the old one is deleted")
        rotate.add_argument("--yes", action="store_true", help="do it (partners must re-register)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate":
            if not options["yes"]:
                self.stderr.write(
                    "Rotating means every partner must register the new public key before it "
                    "can import our next export. Run again with --yes to rotate."
                )
                return
            ident, public = own_key_rotate()
            self.stdout.write("New key pair made; the old private key is deleted.")
        else:
            ident, public = own_public_key()
        self.stdout.write(f"key id: {ident}")
        self.stdout.write(f"public key: {public}")
