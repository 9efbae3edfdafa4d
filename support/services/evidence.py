"""A completed placement or mobility as the evidence of a SMART objective of the case it was
proposed from: the objective's page shows it, and so does the case's timeline."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework.errors import Conflict
from casework.models import AuditEvent, CaseEvent, Objective, User
from casework.services.audit import audit_record
from casework.services.plans import REVIEW_STAGES
from support.models import ObjectiveEvidence, Participation, Status
from workflows import policies as workflow_policies


def _require_evidence(objective: Objective, participation: Participation) -> None:
    if participation.case_id != objective.case_id:
        raise Conflict(
            _("Only a participation linked to this case is evidence of its objectives."),
            code="other_case",
        )
    if participation.status != Status.COMPLETED:
        raise Conflict(
            _("Only a completed placement or mobility is evidence: this one is %(status)s.")
            % {"status": participation.get_status_display()},
            code="not_completed",
        )
    if objective.case.stage not in REVIEW_STAGES:
        raise Conflict(
            _("Evidence is linked during the intervention and at closing."),
            code="stage",
        )


def objective_evidence_add(
    *, objective: Objective, participation: Participation, actor: User
) -> ObjectiveEvidence:
    """Link a completed participation of the case as the objective's evidence: coordinators,
    the objective's owner and holders of the case's tasks (those who review its progress)."""
    workflow_policies.require_review_objective(actor, objective)
    _require_evidence(objective, participation)
    already = _("This participation is already evidence of the objective.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                evidence = ObjectiveEvidence.objects.create(
                    objective=objective, participation=participation, linked_by=actor
                )
        except IntegrityError:
            raise Conflict(already, code="already_evidence") from None
        CaseEvent.objects.create(
            case_id=objective.case_id,
            kind=CaseEvent.Kind.OBJECTIVE,
            actor=actor,
            name="objective_evidence",
            note=participation.opportunity.title,
            data={
                "objective": objective.pk,
                "participation": participation.pk,
                "opportunity": participation.opportunity_id,
                "kind": participation.opportunity.kind,
            },
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=evidence,
            data={"objective": objective.pk, "participation": participation.pk},
        )
    return evidence
