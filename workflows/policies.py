"""Role rules that need the people side (tasks) as well as the case."""

from __future__ import annotations

from typing import Any

from casework import roles
from casework.models import Case


def can_add_objective(user: Any, case: Case) -> bool:
    """Coordinators, or whoever holds one of the case's open tasks (contract)."""
    from workflows.selectors import holds_open_task

    return roles.is_coordinator(user, case.office_id) or holds_open_task(user, case.pk)
