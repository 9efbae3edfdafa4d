"""Writes about offices and their members."""

from __future__ import annotations

from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction

from casework import roles
from casework.models import AuditEvent, Group, Membership, Office, User
from casework.services.audit import audit_record
from casework.sockets import sockets_close

# Django auth groups mirror office roles, so that permission-based tools (viewflow's task
# queues, the admin) route work by role. Office scoping is still done by the selectors.
ROLE_GROUP_NAMES = {group: f"office-group-{int(group)}" for group in Group}
COORDINATORS_GROUP_NAME = "office-coordinators"
ALL_ROLE_GROUP_NAMES = [*ROLE_GROUP_NAMES.values(), COORDINATORS_GROUP_NAME]


def sync_role_groups(user: User) -> None:
    """Make the user's Django auth groups match their active memberships."""
    active = Membership.objects.filter(user=user, active=True)
    wanted = {ROLE_GROUP_NAMES[Group(m.group)] for m in active}
    if any(m.is_coordinator for m in active):
        wanted.add(COORDINATORS_GROUP_NAME)
    for name in ALL_ROLE_GROUP_NAMES:
        auth_group, _ = AuthGroup.objects.get_or_create(name=name)
        if name in wanted:
            user.groups.add(auth_group)
        else:
            user.groups.remove(auth_group)
    roles.forget_memberships(user)
    # Django caches permissions on the user object; drop the caches so they are recomputed.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
    # What the user may see has changed (a seat ended, became inactive or external): their open
    # sockets close, and a client that still has access reconnects under the new rights.
    sockets_close(user.pk)


def membership_set(
    *,
    office: Office,
    user: User,
    group: Group | int,
    actor: User | None = None,
    is_coordinator: bool = False,
    is_external: bool = False,
    active: bool = True,
) -> Membership:
    """Create or update a user's seat in an office and keep their role groups in step."""
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            office=office,
            user=user,
            defaults={
                "group": int(group),
                "is_coordinator": is_coordinator,
                "is_external": is_external,
                "active": active,
            },
        )
        sync_role_groups(user)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=membership,
            data={"group": int(group), "coordinator": is_coordinator, "external": is_external},
        )
    return membership
