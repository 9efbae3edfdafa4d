"""Signing in through the API: ``POST /api/auth/token/`` issues a key, ``DELETE`` revokes the
one presented. Keys expire (API_TOKEN_TTL_HOURS) and die with a password change.

Wrong passwords count towards the same lock-out as the login page (django-axes, per user and
per client); a locked-out client is answered 429 with the time left, even with the right
password.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies
from casework.lockout import lockout_payload
from casework.models import ApiToken, User
from casework.services.accounts import api_token_issue, api_token_revoke
from casework.services.two_factor import two_factor_device, two_factor_verify


class Credentials(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    otp_token = serializers.CharField(
        max_length=10,
        required=False,
        help_text="The authenticator app's code, for accounts with two-factor sign-in on.",
    )


TokenIssued = inline_serializer(
    "TokenIssued",
    {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
)


class TokenView(APIView):
    def perform_authentication(self, request: Request) -> None:
        # Signing in must not trip over a stale key the client still sends.
        if request.method != "POST":
            super().perform_authentication(request)

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=Credentials, responses={200: TokenIssued})
    def post(self, request: Request) -> Response:
        credentials = Credentials(data=request.data)
        credentials.is_valid(raise_exception=True)
        http_request = request._request
        otp_token = credentials.validated_data.pop("otp_token", "")
        user = authenticate(http_request, **credentials.validated_data)
        if getattr(http_request, "axes_locked_out", False):
            payload, seconds = lockout_payload(http_request)
            return Response(
                payload,
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(seconds)},
            )
        if user is None or not isinstance(user, User):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        self._second_factor(user, otp_token)
        token, key = api_token_issue(user=user)
        return Response({"token": key, "expires_at": token.expires_at})

    @staticmethod
    def _second_factor(user: User, otp_token: str) -> None:
        device = two_factor_device(user)
        policies.require_two_factor_set_up_for_superuser(user, device is not None)
        if device is not None and not two_factor_verify(device, otp_token):
            raise exceptions.ValidationError(
                {"otp_token": [_("Enter the current code from your authenticator app.")]}
            )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the key this request presents (sign out of the API)."""
        if not isinstance(request.auth, ApiToken):
            raise exceptions.ValidationError(
                {"Authorization": [_("Send the token to revoke as Authorization: Token <key>.")]}
            )
        api_token_revoke(token=request.auth, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
