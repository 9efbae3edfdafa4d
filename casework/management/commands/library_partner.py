"""Manage partner organisations and their read-only library tokens.

manage.py library_partner add CODE --name "Partner school" [--country RO]
manage.py library_partner token CODE [--label "their library sync"]   # prints the key once
manage.py library_partner revoke PREFIX
manage.py library_partner list
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.models import PartnerOrganisation, PartnerToken
from casework.services.partners import partner_token_issue, partner_token_revoke


class Command(BaseCommand):
    help = "Partner organisations and their library tokens (the key is shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a partner organisation")
        add.add_argument("code")
        add.add_argument("--name", required=True)
        add.add_argument("--country", default="")
        token = sub.add_parser("token", help="issue a token; the key is printed once")
        token.add_argument("code")
        token.add_argument("--label", default="")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="partners and their tokens (prefixes only)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _partner(self, code: str) -> PartnerOrganisation:
        partner = PartnerOrganisation.objects.filter(code=code).first()
        if partner is None:
            raise CommandError(f"No partner organisation {code!r}; add it first.")
        return partner

    def _add(self, options: dict[str, Any]) -> None:
        partner, created = PartnerOrganisation.objects.update_or_create(
            code=options["code"], defaults={"name": options["name"], "country": options["country"]}
        )
        self.stdout.write(f"{'Added' if created else 'Updated'} partner {partner.code}.")

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
        for partner in PartnerOrganisation.objects.prefetch_related("tokens"):
            self.stdout.write(
                f"{partner.code}\t{partner.name}\t{'active' if partner.active else 'inactive'}"
            )
            for token in partner.tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"  {token.prefix}…\t{state}\t{token.label}")
