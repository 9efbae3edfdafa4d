"""Writes about cases: opening one, moving it through the stages, the closing review.

These are the casework halves. The workflows services wrap them to create and cancel tasks and
to notify people, in the same transaction; the API calls the workflows services.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransition, can_proceed

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClosingReview,
    Function,
    Stage,
    Student,
)
from casework.models.case import CLOSED_STAGES, TRANSITIONS
from casework.selectors import open_case_of_student
from casework.services.audit import audit_record

# Marked here, translated when raised: the language is the request's, not the import's.
_PRECONDITION = {
    "start_intervention": gettext_noop(
        "The plan needs at least one SMART objective before the intervention starts."
    ),
    "archive": gettext_noop("The case needs a closing review before it is archived."),
}


def validate_functions(functions: Any) -> list[str]:
    """A non-empty list of known function names, without repeats, in the canonical order."""
    if not isinstance(functions, list) or not functions:
        raise Invalid({"functions": _("Choose at least one function.")})
    unknown = [f for f in functions if f not in Function.values]
    if unknown:
        raise Invalid(
            {
                "functions": _("Unknown function(s): %(unknown)s. Choose from %(known)s.")
                % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(Function.values)}
            }
        )
    return [f for f in Function.values if f in functions]


def _refuse_second_case(open_case: Case) -> Conflict:
    return Conflict(
        _("This student already has an open case (#%(case)s); add to it instead.")
        % {"case": open_case.pk},
        open_case=open_case.pk,
    )


def case_open(*, student: Student, actor: Any, reason: str, functions: list[str]) -> Case:
    """Flag ``student``: open a case in ``monitoring``. Tasks are the workflow's business."""
    policies.require_flag(actor, student)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _("Say why you are flagging the student.")})
    functions = validate_functions(functions)
    office = getattr(student.school, "office", None)
    if office is None:
        raise Conflict(_("This school has no action office yet."))
    missing = office.missing_groups()
    if missing:
        raise Conflict(
            _(
                "The action office is not operational: it needs at least one active member of "
                "each group, and has none in group(s) %(groups)s."
            )
            % {"groups": ", ".join(str(int(g)) for g in missing)},
            missing_groups=[int(g) for g in missing],
        )
    try:
        with transaction.atomic():
            # Serialise flags of one student, so the second one sees the first one's case.
            Student.objects.select_for_update().filter(pk=student.pk).first()
            existing = open_case_of_student(student)
            if existing is not None:
                raise _refuse_second_case(existing)
            previous = (
                Case.objects.filter(student=student, stage__in=CLOSED_STAGES)
                .order_by("-closed_at", "-id")
                .first()
            )
            case = Case.objects.create(
                office=office,
                student=student,
                reason=reason,
                functions=functions,
                flagged_by=actor,
                previous_case=previous,
            )
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.FLAGGED,
                actor=actor,
                to_stage=Stage.MONITORING,
                name="flag",
                note=reason,
                data={"functions": functions, "previous_case": previous.pk if previous else None},
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=case)
    except IntegrityError:
        existing = open_case_of_student(student)
        if existing is None:
            raise
        raise _refuse_second_case(existing) from None
    return case


def check_transition_allowed(*, case: Case, name: str, actor: Any, note: str) -> None:
    """403 for the role, 400 for the input, 409 for the state — in that order."""
    if name not in TRANSITIONS:
        raise Invalid({"name": _("Unknown transition %(name)r.") % {"name": name}})
    policies.require_transition(actor, case, name)
    if name == "withdraw" and not note.strip():
        raise Invalid({"note": _("Say why the case is withdrawn.")})
    method = getattr(case, name)
    if not can_proceed(method, check_conditions=False):
        raise Conflict(
            _("A case in stage %(stage)r cannot %(action)s.")
            % {"stage": case.stage, "action": name.replace("_", " ")},
            stage=case.stage,
        )
    if not can_proceed(method):
        raise Conflict(
            _(_PRECONDITION.get(name, gettext_noop("A precondition is missing."))),
            stage=case.stage,
        )


def case_apply_transition(
    *, case: Case, name: str, actor: Any, note: str = "", data: dict[str, Any] | None = None
) -> CaseEvent:
    """Run transition ``name`` on ``case`` and record it; call inside the caller's transaction.

    ``case`` may be a stale copy: ConcurrentTransitionMixin saves only if the stage in the
    database is still the one this copy was loaded with, so of two racing requests one wins and
    the other gets a 409.
    """
    check_transition_allowed(case=case, name=name, actor=actor, note=note)
    source = case.stage
    with transaction.atomic():
        getattr(case, name)()
        try:
            case.save()
        except ConcurrentTransition:
            raise Conflict(
                _("Someone else changed this case a moment ago; reload it and try again.")
            ) from None
        event = CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.TRANSITION,
            actor=actor,
            from_stage=source,
            to_stage=case.stage,
            name=name,
            note=note.strip(),
            data=data or {},
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=case,
            data={"name": name, "from": source, "to": case.stage},
        )
    return event


CLOSING_REVIEW_FIELDS = ("feedback", "objectives_met", "impact", "lessons_learned")


def closing_review_create(*, case: Case, actor: Any, **fields: Any) -> ClosingReview:
    policies.require_write_closing_review(actor, case)
    if case.stage != Stage.CLOSING:
        raise Conflict(
            _("The closing review is written while the case is closing."), stage=case.stage
        )
    try:
        with transaction.atomic():
            review = ClosingReview.objects.create(case=case, author=actor, **fields)
            CaseEvent.objects.create(
                case=case, kind=CaseEvent.Kind.CLOSING_REVIEW, actor=actor, name="closing_review"
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=review)
    except IntegrityError:
        raise Conflict(
            _("This case already has a closing review; its author may edit it."),
            closing_review=case.closing_review.pk,
        ) from None
    return review


def closing_review_update(*, review: ClosingReview, actor: Any, **fields: Any) -> ClosingReview:
    policies.require_closing_review_author(actor, review.author_id)
    if review.case.stage != Stage.CLOSING:
        raise Conflict(_("The closing review cannot change once the case is archived."))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(review, name, value)
        review.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=review,
            data={"fields": sorted(fields)},
        )
    return review


def case_set_functions(*, case: Case, actor: Any, functions: list[str], why: str) -> None:
    """Change the functions a case needs (triage refines what the flagger first chose)."""
    functions = validate_functions(functions)
    if functions == case.functions:
        return
    if case.stage not in (Stage.MONITORING, Stage.SHARED):
        raise Conflict(_("The needed functions are settled once the intervention has started."))
    with transaction.atomic():
        before = case.functions
        Case.objects.filter(pk=case.pk).update(functions=functions)
        case.functions = functions
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            name="functions_changed",
            note=why,
            data={"from": before, "to": functions},
        )
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=case, data={"functions": functions}
        )
