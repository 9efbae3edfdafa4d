"""Reads about positions: who holds which school duty today.

Positions are not secret (the school's staff know who the director is), so any member of a
school's staff may read its positions; the selectors here only keep other schools' apart.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.models import Position, School, User


def _current(day: datetime.date | None) -> Q:
    day = day or timezone.localdate()
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


_CACHE = "_action_office_positions"


def positions_held(user: User, *, day: datetime.date | None = None) -> list[Position]:
    """The user's positions in their own school, valid on ``day`` (today by default).

    Today's are read once per user object (a page's menu and its checks ask several times in
    one request), like the memberships (``casework.roles``); ``forget_positions`` drops them."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return []
    on = day or timezone.localdate()
    cached = getattr(user, _CACHE, None)
    if cached is not None and cached[0] == on:
        return list(cached[1])
    held = list(
        Position.objects.filter(_current(on), user=user, school_id=user.school_id).order_by(
            "position", "class_name"
        )
    )
    if day is None:
        setattr(user, _CACHE, (on, held))
    return list(held)


def forget_positions(user: User) -> None:
    """The user's positions changed: the next check reads them again."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def holds_position(
    user: User, *positions: str, class_name: str | None = None, day: datetime.date | None = None
) -> bool:
    """Does the user hold one of ``positions`` today (for ``class_name``, when given)?"""
    return any(
        held.position in positions and (class_name is None or held.class_name == class_name)
        for held in positions_held(user, day=day)
    )


def position_holders(
    school: School, position: str, *, class_name: str | None = None
) -> QuerySet[User]:
    """The active staff of ``school`` who hold ``position`` today."""
    return holders_of_any(school, [position], class_name=class_name)


def holders_of_any(
    school: School, positions: list[str], *, class_name: str | None = None
) -> QuerySet[User]:
    """The active staff of ``school`` who hold one of ``positions`` today, each once."""
    held = Position.objects.filter(_current(None), school=school, position__in=positions)
    if class_name is not None:
        held = held.filter(class_name=class_name)
    return User.objects.filter(
        is_active=True, school=school, pk__in=held.values("user_id")
    ).order_by("last_name", "first_name")


def positions_visible_to(user: User) -> QuerySet[Position]:
    """The positions of the user's school; nothing for someone who is not school staff."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return Position.objects.none()
    return Position.objects.filter(school_id=user.school_id).select_related("user")
