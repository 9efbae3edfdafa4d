"""Writes that change a case and the work around it (tasks, notifications).

The API and the web views call these; they call the casework services for the case itself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework.errors import Forbidden
from casework.models import Case, CaseEvent, Objective, Student
from casework.services.cases import case_apply_transition, case_open
from casework.services.plans import objective_create
from workflows import policies


def case_flag(*, student: Student, actor: Any, reason: str, functions: list[str]) -> Case:
    return case_open(student=student, actor=actor, reason=reason, functions=functions)


def case_transition(
    *, case: Case, name: str, actor: Any, note: str = "", cancel_open_tasks: bool = False
) -> CaseEvent:
    with transaction.atomic():
        return case_apply_transition(case=case, name=name, actor=actor, note=note)


def objective_add(*, case: Case, actor: Any, **fields: Any) -> Objective:
    if not policies.can_add_objective(actor, case):
        raise Forbidden("Only coordinators and holders of the case's tasks add objectives.")
    return objective_create(case=case, actor=actor, **fields)
