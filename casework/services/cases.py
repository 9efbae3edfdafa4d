"""The rules of a case's stages, its needed functions and the closing review.

Opening a case and moving it through the stages create and cancel tasks and tell people: those
writes are ``workflows.services.cases``; the checks they share live here.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    ClosingReview,
    Function,
    School,
    Stage,
    User,
)
from casework.models.case import TRANSITION_LABELS, TRANSITIONS
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


def check_transition_allowed(*, case: Case, name: str, actor: User, note: str) -> None:
    """403 for the role, 400 for the input, 409 for the state — in that order."""
    if name not in TRANSITIONS:
        raise Invalid({"name": _("Unknown transition %(name)r.") % {"name": name}})
    policies.require_transition(actor, case, name)
    if name == "withdraw" and not note.strip():
        raise Invalid({"note": _("Say why the case is withdrawn.")})
    method = getattr(case, name)
    if not can_proceed(method, check_conditions=False):
        raise Conflict(
            _("A case in the stage %(stage)s cannot take the step “%(action)s”.")
            % {"stage": case.get_stage_display(), "action": TRANSITION_LABELS[name]},
            stage=case.stage,
        )
    if not can_proceed(method):
        raise Conflict(
            _(_PRECONDITION.get(name, gettext_noop("A precondition is missing."))),
            stage=case.stage,
        )


def flag_refusal(school: School, *, present: set[int] | None = None) -> Conflict | None:
    """Why no student of ``school`` can be flagged now (no office, or one not operational);
    None when they can. The flag service raises it; the pages say it before anyone writes.
    ``present``: the groups with an active member, when the caller has read them already."""
    office = getattr(school, "office", None)
    if office is None:
        return Conflict(_("This school has no action office yet."))
    missing = office.missing_groups(present=present)
    if missing:
        return Conflict(
            _(
                "The action office is not operational: it needs at least one active member of "
                "each group, and has none in group(s) %(groups)s."
            )
            % {"groups": ", ".join(str(int(g)) for g in missing)},
            missing_groups=[int(g) for g in missing],
        )
    return None


CLOSING_REVIEW_FIELDS = ("feedback", "objectives_met", "impact", "lessons_learned")


def closing_review_create(*, case: Case, actor: User, **fields: Any) -> ClosingReview:
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


def closing_review_update(*, review: ClosingReview, actor: User, **fields: Any) -> ClosingReview:
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


def case_set_functions(*, case: Case, actor: User, functions: list[str], why: str) -> None:
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
