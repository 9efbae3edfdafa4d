"""Who a user is in an office: their memberships, read once per user object."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import PermissionDenied

from casework.models import Group, Membership, Office, School, User

_CACHE = "_action_office_memberships"


def memberships(user: User) -> list[Membership]:
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


class _Request(Protocol):
    @property
    def user(self) -> object: ...


def actor_of(request: _Request) -> User:
    """The signed-in user a page or API call acts as.

    Every front that acts for someone has let only signed-in users through (the login-required
    middleware, DRF's authentication, the socket's session check); this says so to the type
    checker, and refuses (403, never a crash further down) if one ever slips past.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def remember_memberships(user: User, seats: list[Membership]) -> None:
    """``seats`` are ``user``'s active memberships, read with something else (the API token)."""
    setattr(user, _CACHE, seats)


def forget_memberships(user: User) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def membership_in(user: User, office: Office | int) -> Membership | None:
    office_id = office if isinstance(office, int) else office.pk
    for membership in memberships(user):
        if membership.office_id == office_id:
            return membership
    return None


def is_coordinator(user: User, office: Office | int) -> bool:
    membership = membership_in(user, office)
    return membership is not None and membership.is_coordinator


def internal_membership(user: User, office: Office | int) -> Membership | None:
    membership = membership_in(user, office)
    return membership if membership is not None and not membership.is_external else None


def in_group(user: User, office: Office | int, *groups: Group | int) -> bool:
    membership = internal_membership(user, office)
    return membership is not None and membership.group in groups


def is_school_staff(user: User, school: School | int) -> bool:
    school_id = school if isinstance(school, int) else school.pk
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.school_id is not None
        and user.school_id == school_id
    )
