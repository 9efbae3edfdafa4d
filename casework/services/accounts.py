"""API tokens of user accounts: issued at sign-in, refused once expired or revoked.

A key is shown once; only its SHA-256 is stored. A password change revokes every token of the
account (``User.save``, whichever front changed it), so a stolen key dies with the old password.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from casework import roles
from casework.models import ApiToken, AuditEvent, Membership, User
from casework.services.audit import audit_record
from casework.services.partners import hash_key

KEY_PREFIX = "aot_"


def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new key for ``user``: (the stored token, the key to hand over once)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            prefix=key[: len(KEY_PREFIX) + 6],
            key_hash=hash_key(key),
            created_at=now,
            expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=token)
    return token, key


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=token, data={"revoked": True}
        )
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token whose key is ``key``, of an active user, or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = _token_with_memberships(hash_key(key))
    if token is None or not token.is_active or not token.user.is_active:
        return None
    return token


_TOKEN_FIELDS = [field.attname for field in ApiToken._meta.concrete_fields]


def _token_with_memberships(key_hash: str) -> ApiToken | None:
    """The token of ``key_hash`` with its user, whose active memberships (what every request
    asks next, ``roles.memberships``) come in the same statement: one row per membership,
    the token's columns on each. A user without one is read as before, token alone."""
    seats = list(
        Membership.objects.filter(active=True, user__api_tokens__key_hash=key_hash)
        .select_related("user", "office__school")
        .annotate(**{f"token_{name}": F(f"user__api_tokens__{name}") for name in _TOKEN_FIELDS})
    )
    if not seats:
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if token is not None:
            roles.remember_memberships(token.user, [])
        return token
    user = seats[0].user
    for seat in seats:
        seat.user = user
    token = ApiToken(**{name: getattr(seats[0], f"token_{name}") for name in _TOKEN_FIELDS})
    token.user = user
    roles.remember_memberships(user, seats)
    return token


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(user: User, pk: int) -> ApiToken:
    """One of ``user``'s own tokens; anyone else's is invisible (404)."""
    return api_tokens_of(user).get(pk=pk)
