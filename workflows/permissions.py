"""Give the office role groups' auth groups the task permissions viewflow routes by.

Run after every migrate (permissions only exist once their models are migrated). Which tasks a
person is actually offered is still decided per case by ``workflows.selectors``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission

from casework.models import Group
from casework.services.offices import COORDINATORS_GROUP_NAME, ROLE_GROUP_NAMES

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ROLE_GROUP_NAMES[Group.EDUCATORS]: ["view_caseprocess", "work_group1", "work_closing"],
    ROLE_GROUP_NAMES[Group.PEDAGOGY]: ["view_caseprocess", "work_group2", "work_closing"],
    ROLE_GROUP_NAMES[Group.SOCIAL]: ["view_caseprocess", "work_group3"],
    ROLE_GROUP_NAMES[Group.ADMINISTRATION]: ["view_caseprocess", "work_group4"],
    COORDINATORS_GROUP_NAME: ["view_caseprocess", "coordinate", "manage_caseprocess"],
}


def ensure_role_group_permissions(**kwargs: Any) -> None:
    # The process permissions must exist before they can be granted, whatever order the
    # post_migrate receivers run in; create_permissions is idempotent.
    create_permissions(apps.get_app_config("workflows"), verbosity=0)
    for group_name, codenames in ROLE_PERMISSIONS.items():
        auth_group, _ = AuthGroup.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label="workflows", codename__in=codenames
        )
        auth_group.permissions.add(*permissions)
