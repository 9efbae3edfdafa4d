"""Partner organisations and their API keys. A key is shown once, when it is made; only its
SHA-256 is stored, so a leaked database does not leak working keys."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from casework.models import AuditEvent, PartnerOrganisation, PartnerToken
from casework.services.audit import audit_record

KEY_PREFIX = "aop_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def partner_token_issue(
    *, partner: PartnerOrganisation, label: str = ""
) -> tuple[PartnerToken, str]:
    """A new key for ``partner``: (the stored token, the key to hand over once)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = PartnerToken.objects.create(
            partner=partner, prefix=key[: len(KEY_PREFIX) + 6], key_hash=hash_key(key), label=label
        )
        audit_record(
            actor=None,
            action=AuditEvent.Action.CREATE,
            obj=token,
            data={"partner": partner.code, "prefix": token.prefix},
        )
    return token, key


def partner_token_revoke(*, token: PartnerToken) -> PartnerToken:
    with transaction.atomic():
        PartnerToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            obj=token,
            data={"partner": token.partner.code, "revoked": True},
        )
    return token


def partner_token_for_key(key: str) -> PartnerToken | None:
    """The active token of an active partner whose key is ``key``, or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = (
        PartnerToken.objects.select_related("partner")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, partner__active=True)
        .first()
    )
    if token is not None:
        # Last use to the minute is enough to spot a stale key; skip a write per request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
