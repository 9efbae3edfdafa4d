"""Middleware for the web pages."""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from viewflow.middleware import SiteMiddleware as ViewflowSiteMiddleware


class SiteMiddleware(ViewflowSiteMiddleware):
    """viewflow's site middleware, but anonymous visitors go to the login page.

    viewflow answers 403 when a site or application refuses a user; for someone who has not
    logged in yet that is a dead end, so they are sent to log in and brought back.
    """

    def process_view(
        self, request: HttpRequest, callback: Any, callback_args: Any, callback_kwargs: Any
    ) -> HttpResponse | None:
        try:
            return super().process_view(request, callback, callback_args, callback_kwargs)
        except PermissionDenied:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise


class FriendlyErrorPagesMiddleware:
    """With DEBUG on and FRIENDLY_ERROR_PAGES set (`make run`), the pages of a refusal, a missing
    page and a server error are the ones a school sees in production, not Django's technical
    pages. First in MIDDLEWARE: it sees the response Django made of the exception below it. The
    API keeps its JSON; Django has already logged the error with its traceback."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if not (settings.DEBUG and settings.FRIENDLY_ERROR_PAGES):
            return response
        if request.path.startswith("/api/") or response.status_code not in (403, 404, 500):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if getattr(response, "friendly", False):
            return response
        page = render(request, f"{response.status_code}.html", status=response.status_code)
        page.friendly = True  # type: ignore[attr-defined]
        return page


class StopIterationGuardMiddleware:
    """Turn a ``StopIteration`` escaping a view into an ordinary error (a 500).

    Under ASGI a sync view runs in a thread and its result travels back through an asyncio
    future; ``StopIteration`` cannot be set on a future (Python < 3.12 raises a TypeError in the
    event loop instead), so the request would hang forever. A bare ``next()`` on data anywhere
    below a view would do that. Last in MIDDLEWARE: every other ``process_view`` has run.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_view(
        self, request: HttpRequest, callback: Any, callback_args: Any, callback_kwargs: Any
    ) -> HttpResponse | None:
        if asyncio.iscoroutinefunction(callback):
            return None  # runs on the event loop itself, where StopIteration is a RuntimeError
        try:
            response: HttpResponse = callback(request, *callback_args, **callback_kwargs)
        except StopIteration as exc:
            raise RuntimeError(f"StopIteration escaped the view {callback.__name__}") from exc
        return response


class PrivateResponseMiddleware:
    """Cache-Control: no-store and Permissions-Policy on every response it sees.

    Pages, API answers, PDFs and the calendar feed all carry personal data: no browser,
    proxy or shared computer may keep a copy. Static files never reach this middleware
    (WhiteNoise answers them above it), so they keep their long cache.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class TwoFactorRequiredMiddleware:
    """A superuser signed in without a second factor reaches only the enrolment page.

    Superusers can change everything, so their password alone is not enough: until they have
    turned on two-factor sign-in and used it for this session, every page sends them to the
    enrolment page (the API answers 403). Signing out and switching language stay possible.
    """

    OPEN = ("/account/two-factor/", "/accounts/logout/", "/i18n/", "/jsi18n/", "/static/")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if user.is_superuser and not verified and not request.path.startswith(self.OPEN):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": gettext("Superusers must sign in with a second factor.")},
                    status=403,
                )
            return HttpResponseRedirect(reverse("account:two_factor"))
        response: HttpResponse = self.get_response(request)
        return response
