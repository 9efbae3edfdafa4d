"""What the navigation needs to know about the outcomes: whether to show the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from plans import policies


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "outcomes_nav": SimpleLazyObject(lambda: policies.can_read_outcomes(user)),
        "plans_nav": SimpleLazyObject(lambda: policies.can_read_plans(user)),
    }
