"""Structured assessments: academic performance, emotional wellbeing, social integration.

One per area at the start of the intervention (``initial``, while the case is shared or in
intervention) and one at closing (``closing``, while the case is closing); the closing review
shows the change between the two.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import Assessment, AuditEvent, Case, CaseEvent, Stage, User
from casework.models.plan import ASSESSMENT_ITEMS, SCORE_MAX, SCORE_MIN
from casework.services.audit import audit_record

PHASE_STAGES: dict[str, tuple[str, ...]] = {
    Assessment.Phase.INITIAL: (Stage.SHARED, Stage.INTERVENTION),
    Assessment.Phase.CLOSING: (Stage.CLOSING,),
}


def validate_scores(area: str, scores: Any) -> dict[str, int]:
    """Every item of the area's form, each a whole number from 1 to 5; nothing else."""
    items = [code for code, _ in ASSESSMENT_ITEMS.get(area, [])]
    if not isinstance(scores, dict):
        raise Invalid({"scores": _("Expected an object: {item: score}.")})
    problems = []
    unknown = sorted(set(scores) - set(items))
    if unknown:
        problems.append(f"unknown item(s) {', '.join(map(str, unknown))}")
    missing = [code for code in items if code not in scores]
    if missing:
        problems.append(_("missing item(s) %(items)s") % {"items": ", ".join(missing)})
    clean: dict[str, int] = {}
    for code in items:
        value = scores.get(code)
        if code not in scores:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (SCORE_MIN <= value <= SCORE_MAX)
        ):
            problems.append(
                _("%(item)s must be a whole number from %(min)s to %(max)s")
                % {"item": code, "min": SCORE_MIN, "max": SCORE_MAX}
            )
        else:
            clean[code] = value
    if problems:
        raise Invalid({"scores": "; ".join(problems) + "."})
    return clean


def _check_stage(case: Case, phase: str) -> None:
    if case.stage not in PHASE_STAGES[phase]:
        raise Conflict(
            _("The %(phase)s assessment is done while the case is %(stages)s.")
            % {"phase": phase, "stages": " / ".join(PHASE_STAGES[phase])},
            stage=case.stage,
        )


def assessment_record(
    *, case: Case, actor: User, area: str, phase: str, scores: Any, notes: str = ""
) -> Assessment:
    policies.require_assess(actor, case, area)
    clean = validate_scores(area, scores)
    _check_stage(case, phase)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case,
                area=area,
                phase=phase,
                scores=clean,
                notes=(notes or "").strip(),
                assessed_by=actor,
            )
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.ASSESSMENT,
                actor=actor,
                name="assessment_recorded",
                data={
                    "assessment": assessment.pk,
                    "area": area,
                    "phase": phase,
                    "total": assessment.total,
                },
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=assessment)
    except IntegrityError:
        existing = Assessment.objects.get(case=case, area=area, phase=phase)
        raise Conflict(
            _("This case already has its %(phase)s %(area)s assessment; its author may correct it.")
            % {"phase": phase, "area": area},
            assessment=existing.pk,
        ) from None
    return assessment


def assessment_update(
    *, assessment: Assessment, actor: User, scores: Any = None, notes: str | None = None
) -> Assessment:
    policies.require_assessment_author(actor, assessment.assessed_by_id)
    clean = validate_scores(assessment.area, scores) if scores is not None else None
    _check_stage(assessment.case, assessment.phase)
    with transaction.atomic():
        if clean is not None:
            assessment.scores = clean
        if notes is not None:
            assessment.notes = notes.strip()
        assessment.save()
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=assessment)
    return assessment


def assessment_change(case: Case) -> list[dict[str, Any]]:
    """Per area: the initial and closing averages and the change (positive = better)."""
    by_key = {(a.area, a.phase): a for a in Assessment.objects.filter(case=case)}
    rows = []
    for area in ASSESSMENT_ITEMS:
        initial = by_key.get((area, Assessment.Phase.INITIAL))
        closing = by_key.get((area, Assessment.Phase.CLOSING))
        rows.append(
            {
                "area": str(area),
                "initial": initial.average if initial else None,
                "closing": closing.average if closing else None,
                "change": round(closing.average - initial.average, 2)
                if initial and closing
                else None,
            }
        )
    return rows
