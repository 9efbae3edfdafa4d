"""Partner tokens: ``Authorization: Partner <key>``. Only the library's read endpoints list
this authentication class, so anywhere else a partner key authenticates nobody (401)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from casework.models import PartnerOrganisation, PartnerToken
from casework.services.partners import partner_token_for_key


class PartnerPrincipal:
    """Who a partner request is: not a user, no school, no memberships, sees no case."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    school_id = None

    def __init__(self, token: PartnerToken) -> None:
        self.token = token
        self.partner: PartnerOrganisation = token.partner

    def get_username(self) -> str:
        return f"partner:{self.partner.code}"

    def __str__(self) -> str:
        return self.get_username()


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Partner"

    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, PartnerToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid partner token header.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid partner token.") from None
        token = partner_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked partner token.")
        return PartnerPrincipal(token), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def is_partner(user: object) -> bool:
    return isinstance(user, PartnerPrincipal)


class StaffOrPartnerReadOnly(permissions.BasePermission):
    """Any signed-in account reads; a partner token reads and does nothing else."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if is_partner(user):
            return request.method in permissions.SAFE_METHODS
        return bool(user and user.is_authenticated)


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the partner token in the OpenAPI schema."""

    target_class = "casework.api.partner_auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Partner <key>`: read-only access to published library entries.",
        }
