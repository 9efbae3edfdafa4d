"""A case's personalised plan: adding SMART objectives and reviewing their progress.

Who may write depends on who holds the case's tasks, so the writes live with the tasks.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, Invalid, one_of
from casework.models import AuditEvent, Case, CaseEvent, Objective, ObjectiveReview, User
from casework.services.audit import audit_record
from casework.services.plans import PLAN_STAGES, REVIEW_STAGES, validate_objective
from workflows import policies
from workflows.locking import case_lock

# What an edit may change: everything the plan states, never its status (progress reviews set it).
# Timeline lines about an objective that record no progress on it.
NOT_PROGRESS = ("objective_added", "objective_changed")
EDITABLE = ("description", "indicator", "baseline", "target", "deadline", "function", "owner")


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


def objective_update(*, objective: Objective, actor: User, **changes: Any) -> Objective:
    """Change what an objective says or who owns it (coordinators and holders of the case's
    tasks), while the plan is open and before any progress is recorded against it."""
    policies.require_change_objective(actor, objective)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise Invalid({name: _("This field cannot be changed.") for name in unknown})
    merged = {name: changes.get(name, getattr(objective, name)) for name in EDITABLE}
    if "deadline" not in changes or changes["deadline"] == objective.deadline:
        merged["deadline"] = None  # unchanged: not held to the window again
    merged["function"] = merged["function"] or ""
    validate_objective(case=objective.case, **merged)
    with case_lock(objective.case):
        current = _unreviewed_in_plan(objective)
        changed = {
            name: [_shown(getattr(current, name)), _shown(value)]
            for name, value in changes.items()
            if _shown(getattr(current, name)) != _shown(value)
        }
        if not changed:
            return current  # a form saved as it was: nothing to put on the timeline
        for name in changed:
            setattr(current, name, changes[name])
        current.save(update_fields=list(changed))
        CaseEvent.objects.create(
            case=current.case,
            kind=CaseEvent.Kind.OBJECTIVE,
            actor=actor,
            name="objective_changed",
            note=current.description,
            data={"objective": current.pk, "changed": changed},
        )
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=current, data={"changed": changed}
        )
    return current


def objective_remove(*, objective: Objective, actor: User) -> None:
    """Take an objective out of the plan (coordinators and holders of the case's tasks), while
    the plan is open and before any progress is recorded against it."""
    policies.require_change_objective(actor, objective)
    with case_lock(objective.case):
        current = _unreviewed_in_plan(objective)
        pk, case = current.pk, current.case
        # The trail has no "delete": a removal is the last change to the record's row.
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=current, data={"removed": True}
        )
        current.delete()
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OBJECTIVE,
            actor=actor,
            name="objective_removed",
            note=current.description,
            data={"objective": pk},
        )


def _unreviewed_in_plan(objective: Objective) -> Objective:
    """The objective as it is now, under the case's lock; 409 once the plan is past changing
    or progress has been recorded (a review measured the objective as it was stated)."""
    current = Objective.objects.select_related("case").filter(pk=objective.pk).first()
    if current is None:
        raise Conflict(_("This objective was removed in the meantime."))
    if current.case.stage not in PLAN_STAGES:
        raise Conflict(
            _("Objectives are changed while the case is shared or in intervention."),
            stage=current.case.stage,
        )
    review = current.reviews.order_by("reviewed_at", "id").first()
    if review is not None:
        raise Conflict(
            _(
                "Progress was already recorded on %(date)s (indicator %(value)s): an objective "
                "stays as it was measured. Record its progress instead."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(review.reviewed_at), "SHORT_DATE_FORMAT"
                ),
                "value": review.value,
            },
            review=review.pk,
        )
    # Any other record of progress written on the timeline about it (a completed placement
    # linked as its evidence, say): read there, so an area's records count without the core
    # knowing the area.
    measured = (
        CaseEvent.objects.filter(
            case_id=current.case_id, kind=CaseEvent.Kind.OBJECTIVE, data__objective=current.pk
        )
        .exclude(name__in=NOT_PROGRESS)
        .order_by("created_at", "id")
        .first()
    )
    if measured is not None:
        raise Conflict(
            _(
                "Evidence of progress was recorded on %(date)s (%(what)s): an objective stays "
                "as it was measured."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(measured.created_at), "SHORT_DATE_FORMAT"
                ),
                "what": measured.note,
            },
            event=measured.pk,
        )
    return current


def _shown(value: Any) -> Any:
    """A value as the timeline and audit store it: an owner by id, a date in ISO."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


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
            "choices": one_of(Objective.Status.choices)
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
    # The case's lock orders a review after an edit or removal of the same objective (and the
    # reverse), so an objective is never changed after a review measured it.
    with case_lock(case):
        if not Objective.objects.filter(pk=objective.pk).exists():
            raise Conflict(_("This objective was removed in the meantime."))
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
