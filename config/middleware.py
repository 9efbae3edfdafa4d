"""Middleware for the web pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
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
