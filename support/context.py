"""What the navigation needs to know about support opportunities: whether to show them.

``support_nav`` also tells the case page (which cannot import this app) to offer its link to
the catalogue; without this app the flag is absent and the link with it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from support import policies


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"support_nav": SimpleLazyObject(lambda: policies.can_read_catalogue(user))}
