"""What the navigation needs to know about counselling: whether to show the activities and the
students' information pack."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from casework.models import User
from counselling import policies


def _shown(user: User) -> bool:
    return policies.can_record_activities(user) or policies.reads_school_activities(user)


def _pack_shown(user: User) -> bool:
    school_id = user.school_id
    return school_id is not None and (
        policies.can_edit_info_pack(user, school_id) or policies.can_record_activities(user)
    )


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "counselling_nav": SimpleLazyObject(lambda: _shown(user)),
        "info_pack_nav": SimpleLazyObject(lambda: _pack_shown(user)),
    }
