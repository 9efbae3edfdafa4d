"""``Authorization: Token <key>``: API tokens of user accounts, refused once expired or revoked.

Kept apart from the sign-in view: DRF imports its authentication classes while loading its own
views module, so this one must not import DRF's views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from casework.models import ApiToken, User
from casework.services.accounts import api_token_for_key


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, refused once the key expired or was revoked."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.token_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` from `POST /api/auth/token/`; it expires.",
        }
