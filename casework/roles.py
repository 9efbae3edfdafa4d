"""Who a user is in an office: their memberships, read once per user object."""

from __future__ import annotations

from typing import Any

from casework.models import Group, Membership, Office, School

_CACHE = "_action_office_memberships"


def memberships(user: Any) -> list[Membership]:
    """The user's active memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, active=True).select_related("office__school")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def membership_in(user: Any, office: Office | int) -> Membership | None:
    office_id = office if isinstance(office, int) else office.pk
    for membership in memberships(user):
        if membership.office_id == office_id:
            return membership
    return None


def is_coordinator(user: Any, office: Office | int) -> bool:
    membership = membership_in(user, office)
    return membership is not None and membership.is_coordinator


def internal_membership(user: Any, office: Office | int) -> Membership | None:
    membership = membership_in(user, office)
    return membership if membership is not None and not membership.is_external else None


def in_group(user: Any, office: Office | int, *groups: Group | int) -> bool:
    membership = internal_membership(user, office)
    return membership is not None and membership.group in groups


def is_school_staff(user: Any, school: School | int) -> bool:
    school_id = school if isinstance(school, int) else school.pk
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.school_id is not None
        and user.school_id == school_id
    )
