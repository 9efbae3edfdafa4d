"""Writes about a case's personalised plan: its SMART objectives."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import roles
from casework.dates import window_error
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Objective, ObjectiveReview, Stage
from casework.services.audit import audit_record

PLAN_STAGES = (Stage.SHARED, Stage.INTERVENTION)


def validate_objective(
    *,
    case: Case,
    description: str,
    indicator: str,
    baseline: str,
    target: str,
    deadline: datetime.date,
    function: str = "",
    owner: Any = None,
) -> None:
    """The SMART rules: Specific, Measurable (indicator, baseline, target), Achievable by an
    owner of the office, Relevant to a function the case needs, Time-bound (a future deadline)."""
    errors: dict[str, list[str] | str] = {}
    for name, value in (
        ("description", description),
        ("indicator", indicator),
        ("baseline", baseline),
        ("target", target),
    ):
        if not str(value or "").strip():
            errors[name] = _("This field may not be blank.")
    if not errors.get("target") and str(target).strip() == str(baseline).strip():
        errors["target"] = _(
            "The target must differ from the baseline, or there is nothing to measure."
        )
    if (late := window_error("deadline", deadline)) is not None:
        errors["deadline"] = late
    if function and function not in case.functions:
        errors["function"] = _("The objective must serve one of the functions this case needs.")
    if owner is not None and roles.membership_in(owner, case.office_id) is None:
        errors["owner"] = _("The owner must be a member of the office.")
    if errors:
        raise Invalid(errors)


def objective_create(*, case: Case, actor: Any, **fields: Any) -> Objective:
    """Add a SMART objective. The caller has checked the actor's role (workflows knows tasks)."""
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


REVIEW_STAGES = (Stage.INTERVENTION, Stage.CLOSING)


def objective_review_add(
    *, objective: Objective, actor: Any, value: str, status: str, note: str = ""
) -> ObjectiveReview:
    """Record the indicator's value now and the objective's status from now on.

    The caller has checked the actor's role. ``missed`` is a verdict on a time-bound objective,
    so it needs the deadline to have passed; ``met`` may come early.
    """
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
