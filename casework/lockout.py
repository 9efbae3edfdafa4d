"""What a locked-out client is told, on the login page and on the API.

django-axes counts failed sign-ins per user name and per client address (see settings); past
AXES_FAILURE_LIMIT it refuses even the right password until the cool-off has passed or an
administrator unlocks (admin → Access attempts, or ``manage.py axes_reset_username``). Every
further failure restarts the cool-off, so the time left is counted from the latest failure.
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext


def _credentials(request: HttpRequest, credentials: Any) -> dict[str, Any]:
    if isinstance(credentials, dict):
        return credentials
    return dict(getattr(request, "axes_credentials", None) or {})


def seconds_left(request: HttpRequest, credentials: Any = None) -> int:
    """Seconds until the lock-out on this user name or this client ends (at least 1)."""
    credentials = _credentials(request, credentials)
    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    limit = get_failure_limit(request, credentials)
    latest = None
    for attempts in AxesDatabaseHandler().get_user_attempts(request, credentials):
        last = attempts.filter(failures_since_start__gte=limit).aggregate(at=Max("attempt_time"))
        if last["at"] is not None and (latest is None or last["at"] > latest):
            latest = last["at"]
    if latest is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. This account or this device is locked for "
        "%(minutes)d more minute. An administrator can unlock it sooner.",
        "Too many failed sign-in attempts. This account or this device is locked for "
        "%(minutes)d more minutes. An administrator can unlock it sooner.",
        minutes,
    ) % {"minutes": minutes}


def lockout_payload(request: HttpRequest, credentials: Any = None) -> tuple[dict[str, Any], int]:
    seconds = seconds_left(request, credentials)
    return {"detail": lockout_message(seconds), "retry_after": seconds}, seconds


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: JSON on the API, the login page with the message elsewhere.

    axes' async middleware passes the credentials second, its sync one third: both arrive here.
    """
    if credentials is None and isinstance(original_response, dict):
        credentials = original_response
    payload, seconds = lockout_payload(request, credentials)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(payload, status=429)
    else:
        form = AuthenticationForm(request)
        response = render(
            request,
            "registration/login.html",
            {"form": form, "lockout": payload["detail"], "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
