"""Who reads the office's outcomes (DESIGN.md, "Outcomes"): the office's coordinators and the
school's director, deputy director and quality commission (CEIAC)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import roles
from casework.errors import Forbidden
from casework.models import User
from casework.positions import holds_position

READERS = ("director", "deputy_director", "quality_commission")


def _coordinator_of_school(user: User) -> bool:
    return any(
        m.is_coordinator and not m.is_external and m.office.school_id == user.school_id
        for m in roles.memberships(user)
    )


def can_read_outcomes(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.school_id is None:
        return False
    return holds_position(user, *READERS) or _coordinator_of_school(user)


def require_read_outcomes(user: User) -> None:
    if not can_read_outcomes(user):
        raise Forbidden(
            _(
                "The office's outcomes are read by its coordinators and by the school's director, "
                "deputy director and quality commission."
            )
        )
