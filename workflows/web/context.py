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
from workflows.selectors import notifications_for, unread_among

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


_READS = "_action_office_live_reads"


def _reads(user: User) -> dict[str, Any]:
    """The unread ids (the first ``UNREAD_IDS_SHOWN``), their count and the newest visible
    notification's id: what the bell and the live module show, read once per request (the
    user's meetings once for all three)."""
    cached = getattr(user, _READS, None)
    if cached is None:
        visible = notifications_for(user)
        unread = unread_among(visible)
        ids = list(unread.values_list("pk", flat=True)[: UNREAD_IDS_SHOWN + 1])
        count = len(ids) if len(ids) <= UNREAD_IDS_SHOWN else unread.count()
        last = visible.order_by("-id").values_list("pk", flat=True).first()
        cached = {"unread": ids[:UNREAD_IDS_SHOWN], "count": count, "last_id": last or 0}
        setattr(user, _READS, cached)
    return cached


def _live(user: User) -> dict[str, Any]:
    reads = _reads(user)
    return {
        "unread": reads["unread"],
        "last_id": reads["last_id"],
        "kinds": {str(k): str(label) for k, label in Notification.Kind.choices},
        "tasks": {str(k): str(label) for k, label in TaskName.choices},
        "close": str(_("Close")),
        "open": str(_("Open")),
    }


def live(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {
        "nav": SimpleLazyObject(lambda: _nav(user)),
        "unread_count": SimpleLazyObject(lambda: _reads(user)["count"]),
    }
