"""A case's personalised plan: adding SMART objectives and reviewing their progress.

Who may write depends on who holds the case's tasks, so the writes live with the tasks.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Objective, ObjectiveReview, User
from casework.services.audit import audit_record
from casework.services.plans import PLAN_STAGES, REVIEW_STAGES, validate_objective
from workflows import policies


def objective_add(*, case: Case, actor: User, **fields: Any) -> Objective:
    """Add a SMART objective: coordinators and holders of the case's tasks."""
    policies.require_add_objective(actor, case)
    if case.stage not in PLAN_STAGES:
        raise Conflict(_("Objectives are planned while the case is shared or in intervention."))
    validate_objective(case=case, **fields)
    with transaction.atomic():
        objective = Objective.objects.create(case=case, created_by=actor, **fields)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OBJECTIVE,
            actor=actor,
            name="objective_added",
            note=objective.description,
            data={"objective": objective.pk},
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=objective)
    return objective


def objective_review(
    *, objective: Objective, actor: User, value: str, status: str, note: str = ""
) -> ObjectiveReview:
    """Record the indicator's value now and the objective's status from now on: coordinators,
    its owner, holders of the case's tasks.

    ``missed`` is a verdict on a time-bound objective, so it needs the deadline to have passed;
    ``met`` may come early.
    """
    policies.require_review_objective(actor, objective)
    errors: dict[str, list[str] | str] = {}
    if not (value or "").strip():
        errors["value"] = _("Give the indicator's current value.")
    if status not in Objective.Status.values:
        errors["status"] = _("Choose one of %(choices)s.") % {
            "choices": ", ".join(Objective.Status.values)
        }
    elif status == Objective.Status.MISSED and objective.deadline >= timezone.localdate():
        errors["status"] = _("An objective is missed only once its deadline has passed.")
    if errors:
        raise Invalid(errors)
    case = objective.case
    if case.stage not in REVIEW_STAGES:
        raise Conflict(
            _("Progress is reviewed during the intervention and at closing."), stage=case.stage
        )
    with transaction.atomic():
        review = ObjectiveReview.objects.create(
            objective=objective,
            value=value.strip(),
            status=status,
            note=(note or "").strip(),
            reviewed_by=actor,
        )
        before = objective.status
        Objective.objects.filter(pk=objective.pk).update(status=status)
        objective.status = status
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OBJECTIVE,
            actor=actor,
            name="objective_reviewed",
            note=review.note,
            data={
                "objective": objective.pk,
                "review": review.pk,
                "value": review.value,
                "from": before,
                "to": status,
            },
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=review)
    return review
