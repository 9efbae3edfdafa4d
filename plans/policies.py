"""Who reads the office's outcomes (DESIGN.md, "Outcomes"): the office's coordinators and the
school's director, deputy director and quality commission (CEIAC)."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from casework import roles
from casework.errors import Forbidden
from casework.models import User
from casework.positions import holds_position, positions_held

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


# -- action plans (DESIGN.md, "Action plans") ---------------------------------------------------

PLAN_EDITORS = ("director", "deputy_director")


def _school_staff(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.school_id is not None
    )


def can_read_plans(user: User) -> bool:
    """Every member of a school's staff reads its plans."""
    return _school_staff(user)


def can_edit_plans(user: User, school_id: int | None = None) -> bool:
    """The school's director, deputy directors and the office's coordinators make and edit its
    plans (their own school's: ``school_id``, when given, must be it)."""
    if not _school_staff(user) or (school_id is not None and school_id != user.school_id):
        return False
    return holds_position(user, *PLAN_EDITORS) or _coordinator_of_school(user)


def positions_of(user: User) -> set[str]:
    """The codes of the positions the user holds today: read once for a page of actions."""
    return {held.position for held in positions_held(user)}


def can_enter_value(
    user: User, responsible: list[str], school_id: int, held: Collection[str] | None = None
) -> bool:
    """A manual value is entered by a holder of one of the action's responsible positions
    (``held``: the user's positions, when already read)."""
    if not (_school_staff(user) and user.school_id == school_id and responsible):
        return False
    if held is None:
        return holds_position(user, *responsible)
    return bool(set(responsible) & set(held))


def require_read_plans(user: User) -> None:
    if not can_read_plans(user):
        raise Forbidden(_("Action plans are read by the school's staff."))


def require_edit_plans(user: User, school_id: int | None = None) -> None:
    if not can_edit_plans(user, school_id):
        raise Forbidden(
            _(
                "Action plans are made and edited by the school's director, deputy directors and "
                "the office's coordinators."
            )
        )


def require_enter_value(user: User, responsible: list[str], school_id: int) -> None:
    if not can_enter_value(user, responsible, school_id):
        raise Forbidden(
            _("Values of an action's indicator are entered by those responsible for the action.")
        )
