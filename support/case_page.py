"""What support adds to the case page (through ``workflows.web.case_page.AREA_CASE_PARTS``,
which ``support.wiring`` fills): the placements and mobilities linked to the case, the way to
the catalogue for those who may propose the student, and under each objective the completed
participations given as its evidence, with the form to add one.

The case page is shown only to those who see the case, so whoever reads this part may see that
the participations are linked to it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from casework.models import Case, Objective
from casework.roles import actor_of
from casework.services.plans import REVIEW_STAGES
from support import policies
from support.case_links import evidence_of
from support.forms import EvidenceForm
from support.models import Participation, Status
from workflows import policies as workflow_policies
from workflows.web.case_page import CasePart


def _label(participation: Participation) -> str:
    opportunity = participation.opportunity
    return f"{opportunity.title} — {opportunity.get_kind_display()}"


def case_part(
    request: HttpRequest, case: Case, objectives: list[Objective], forms_: dict[str, Any]
) -> CasePart | None:
    user = actor_of(request)
    linked = list(
        Participation.objects.filter(case=case)
        .select_related("opportunity")
        .order_by("proposed_at", "id")
    )
    may_propose = case.student.school_id == user.school_id and policies.can_propose_from_case(
        user, case
    )
    if not linked and not may_propose:
        return None
    completed = [p for p in linked if p.status == Status.COMPLETED]
    evidence = evidence_of(objectives)
    for objective in objectives:
        shown = evidence[objective.pk]
        given = {e.participation_id for e in shown}
        may_link = case.stage in REVIEW_STAGES and workflow_policies.can_review_objective(
            user, objective
        )
        choices = [(p.pk, _label(p)) for p in completed if p.pk not in given] if may_link else []
        # Read by the objective's template as ``o.support_evidence`` and its form.
        objective.support_evidence = shown  # type: ignore[attr-defined]
        bound = forms_.get("evidence_form")
        if forms_.get("evidence_objective") == objective.pk and bound is not None:
            objective.support_evidence_form = bound  # type: ignore[attr-defined]
        else:
            form = EvidenceForm(choices=choices, auto_id=f"id_evidence_{objective.pk}_%s")
            objective.support_evidence_form = form if choices else None  # type: ignore[attr-defined]
    return CasePart(
        context={
            "case_participations": linked,
            "case_may_propose": may_propose,
            "case_reads_catalogue": policies.reads_catalogue(user, case.student.school_id),
        },
        section="support/includes/case_participations.html",
        objective="support/includes/objective_evidence.html",
    )
