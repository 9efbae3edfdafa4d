"""Manage partner organisations and their read-only library tokens.

manage.py library_partner add CODE --name "Partner school" [--country RO] [--public-key KEY]
manage.py library_partner retire-key CODE KEY_ID   # after the partner rotated its key
manage.py library_partner token CODE [--label "their library sync"]   # prints the key once
manage.py library_partner revoke PREFIX
manage.py library_partner list
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from casework.errors import DomainError
from casework.models import PartnerOrganisation, PartnerToken
from casework.services.library_keys import partner_key_add, partner_key_retire
from casework.services.partners import partner_token_issue, partner_token_revoke


class Command(BaseCommand):
    help = "Partner organisations and their library tokens (the key is shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a partner organisation")
        add.add_argument("code")
        add.add_argument("--name", required=True)
        add.add_argument("--country", default="")
        add.add_argument(
            "--public-key",
            default="",
            help="the partner's Ed25519 public key, base64 (its `library_key show`); "
            "added to the keys it already has",
        )
        retire = sub.add_parser("retire-key", help="stop accepting files signed by a key")
        retire.add_argument("code")
        retire.add_argument("key_id")
        token = sub.add_parser("token", help="issue a token; the key is printed once")
        token.add_argument("code")
        token.add_argument("--label", default="")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="partners and their tokens (prefixes only)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _partner(self, code: str) -> PartnerOrganisation:
        partner = PartnerOrganisation.objects.filter(code=code).first()
        if partner is None:
            raise CommandError(f"No partner organisation {code!r}; add it first.")
        return partner

    def _add(self, options: dict[str, Any]) -> None:
        # One transaction: a refused key leaves no half-registered partner behind.
        with transaction.atomic():
            partner, created = PartnerOrganisation.objects.update_or_create(
                code=options["code"],
                defaults={"name": options["name"], "country": options["country"]},
            )
            key = None
            if options["public_key"]:
                key = self._domain(
                    partner_key_add, partner=partner, public_key=options["public_key"]
                )
        self.stdout.write(f"{'Added' if created else 'Updated'} partner {partner.code}.")
        if key is not None:
            self.stdout.write(f"Key {key.key_id} accepted for {partner.code}'s exports.")

    def _retire_key(self, options: dict[str, Any]) -> None:
        key = self._domain(
            partner_key_retire, partner=self._partner(options["code"]), key_id=options["key_id"]
        )
        self.stdout.write(f"Key {key.key_id} retired: files signed with it are refused.")

    def _domain(self, service: Any, **kwargs: Any) -> Any:
        try:
            return service(**kwargs)
        except DomainError as error:
            raise CommandError(str(getattr(error, "fields", None) or error.detail)) from None

    def _token(self, options: dict[str, Any]) -> None:
        token, key = partner_token_issue(
            partner=self._partner(options["code"]), label=options["label"]
        )
        self.stdout.write(f"Token {token.prefix}… for {token.partner.code}. Key (shown once):")
        self.stdout.write(key)

    def _revoke(self, options: dict[str, Any]) -> None:
        tokens = list(PartnerToken.objects.filter(prefix=options["prefix"], revoked_at=None))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens have this prefix; expected one.")
        partner_token_revoke(token=tokens[0])
        self.stdout.write(f"Revoked {tokens[0].prefix}….")

    def _list(self, options: dict[str, Any]) -> None:
        for partner in PartnerOrganisation.objects.prefetch_related("tokens", "keys"):
            self.stdout.write(
                f"{partner.code}\t{partner.name}\t{'active' if partner.active else 'inactive'}"
            )
            for key in partner.keys.all():
                state = "retired" if key.retired_at else "active"
                self.stdout.write(f"  key {key.key_id}\t{state}")
            for token in partner.tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"  {token.prefix}…\t{state}\t{token.label}")
