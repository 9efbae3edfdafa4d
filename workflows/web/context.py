"""Template context for every page: what the navigation and the live module need.

Lazy: nothing is read unless the page uses it (the login page does not).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from casework import policies, roles
from casework.models import Group, User
from casework.positions import positions_held
from workflows.models import Notification, TaskName
from workflows.selectors import notifications_for, unread_notifications

UNREAD_IDS_SHOWN = 500


def _nav(user: User) -> dict[str, Any]:
    memberships = roles.memberships(user)
    return {
        # The school duties held today, as the user menu names them ("diriginte 11A").
        "positions": [
            f"{held.get_position_display()} {held.class_name}".strip()
            for held in positions_held(user)
        ],
        "coordinator": any(m.is_coordinator for m in memberships),
        "member": bool(memberships),
        "internal": any(not m.is_external for m in memberships),
        "staff": user.school_id is not None,
        "reviewer": any(
            not m.is_external and (m.is_coordinator or m.group == Group.PEDAGOGY)
            for m in memberships
        ),
        "educator_only": bool(memberships)
        and all(m.group == Group.EDUCATORS and not m.is_coordinator for m in memberships),
        "two_factor": policies.can_use_two_factor(user),
    }


def _live(user: User) -> dict[str, Any]:
    unread = list(unread_notifications(user).values_list("pk", flat=True)[:UNREAD_IDS_SHOWN])
    last = notifications_for(user).order_by("-id").values_list("pk", flat=True).first()
    return {
        "unread": unread,
        "last_id": last or 0,
        "kinds": {str(k): str(label) for k, label in Notification.Kind.choices},
        "tasks": {str(k): str(label) for k, label in TaskName.choices},
        "close": str(_("Close")),
    }


def live(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {
        "nav": SimpleLazyObject(lambda: _nav(user)),
        "unread_count": SimpleLazyObject(lambda: unread_notifications(user).count()),
    }
