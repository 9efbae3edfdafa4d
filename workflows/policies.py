"""Role rules that need the people side (tasks) as well as the case."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from casework import roles
from casework.errors import Forbidden
from casework.models import Case, User
from workflows.selectors import holds_open_task, is_offered, triage_pending


def can_add_objective(user: User, case: Case) -> bool:
    """Coordinators, or whoever holds one of the case's open tasks (contract)."""
    return roles.is_coordinator(user, case.office_id) or holds_open_task(user, case.pk)


def can_refer(user: User, case: Case) -> bool:
    """Referrals follow the objectives' rule: coordinators, or holders of the case's tasks
    (the social worker on a socio-economic task refers to social services)."""
    return can_add_objective(user, case)


def can_review_objective(user: User, objective: Any) -> bool:
    """Coordinators, the objective's owner, and holders of the case's tasks."""
    return objective.owner_id == user.pk or can_add_objective(user, objective.case)


def require_add_objective(user: User, case: Case) -> None:
    if not can_add_objective(user, case):
        raise Forbidden(_("Only coordinators and holders of the case's tasks add objectives."))


def can_change_objective(user: User, objective: Any) -> bool:
    """Editing and removing an objective follow the rule for adding one."""
    return can_add_objective(user, objective.case)


def require_change_objective(user: User, objective: Any) -> None:
    if not can_change_objective(user, objective):
        raise Forbidden(
            _("Only coordinators and holders of the case's tasks change or remove objectives.")
        )


def require_refer(user: User, case: Case) -> None:
    if not can_refer(user, case):
        raise Forbidden(_("Only coordinators and holders of the case's tasks make referrals."))


def require_review_objective(user: User, objective: Any) -> None:
    if not can_review_objective(user, objective):
        raise Forbidden(
            _("Only coordinators, the owner and holders of the case's tasks review it.")
        )


def can_share_now(user: User, case: Case) -> bool:
    """Group 2 triages a flagged case before the office discusses it; until then only a
    coordinator (who may judge it urgent) shares it. Finishing the triage shares it anyway."""
    return roles.is_coordinator(user, case.office_id) or not triage_pending(case.pk)


def can_set_due_periods(user: User, office_id: int) -> bool:
    """The office's coordinators (and the school's IT person, a superuser) set its due periods."""
    return bool(getattr(user, "is_superuser", False)) or roles.is_coordinator(user, office_id)


def require_set_due_periods(user: User, office_id: int) -> None:
    if not can_set_due_periods(user, office_id):
        raise Forbidden(_("Only the office's coordinators set its due periods."))


def require_offered(user: User, case_task: Any) -> None:
    """An open task is for the group it is offered to."""
    if not is_offered(user, case_task):
        raise Forbidden(_("This task is for another group."))


def require_holder_to_give_back(user: User, case_task: Any) -> None:
    if case_task.task.owner_id != user.pk:
        raise Forbidden(_("Only the person holding a task can give it back."))


def require_may_complete(user: User, case_task: Any) -> None:
    """An unclaimed task is completed (after claiming) by its group; a held one by its holder."""
    task = case_task.task
    if task.owner_id is None and task.status == STATUS.NEW:
        require_offered(user, case_task)
    elif task.owner_id != user.pk:
        raise Forbidden(_("Only the person holding a task can complete it."))
