"""What the case page shows: the stage bar, the transitions a user may run, the plan, and the
sections beyond the stage machine (assessments, consent and referrals, meetings, the library
entry). The views of ``cases`` and ``case_sections`` render it, with their bound forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework import policies, selectors
from casework.models import (
    Area,
    Case,
    ClosingReview,
    Consent,
    Contact,
    LibraryEntry,
    Membership,
    Objective,
    Referral,
    Stage,
    User,
)
from casework.models.case import TRANSITION_LABELS, TRANSITIONS
from casework.models.network import REFERRAL_MOVES
from casework.roles import actor_of
from casework.services.assessments import PHASE_STAGES
from casework.services.consents import active_consent
from casework.services.plans import PLAN_STAGES, REVIEW_STAGES
from casework.services.referrals import REFERRAL_STAGES
from workflows import policies as workflow_policies
from workflows import selectors as workflow_selectors
from workflows.web.case_forms import (
    AssessmentForm,
    ConsentForm,
    LibraryConsentForm,
    ReferralForm,
)
from workflows.web.forms import ClosingReviewForm, ObjectiveForm, TransitionForm
from workflows.web.timeline import describe, details, note


@dataclass(frozen=True)
class CasePart:
    """What an area built on top adds to the case page: a section (a template, shown after the
    referrals), a block under each objective (a template that reads the objective as ``o``),
    and the context both read."""

    context: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    objective: str | None = None


# (request, case, objectives, bound forms) -> the area's part, or None. The areas (support, ...)
# add theirs from their AppConfig.ready: this module cannot import them.
CasePartFunction = Callable[[HttpRequest, Case, list[Objective], dict[str, Any]], CasePart | None]
AREA_CASE_PARTS: list[CasePartFunction] = []


def area_parts(
    request: HttpRequest, case: Case, objectives: list[Objective], forms_: dict[str, Any]
) -> dict[str, Any]:
    context: dict[str, Any] = {}
    sections: list[str] = []
    objective_parts: list[str] = []
    for part_of in AREA_CASE_PARTS:
        part = part_of(request, case, objectives, forms_)
        if part is None:
            continue
        context.update(part.context)
        sections += [part.section] if part.section else []
        objective_parts += [part.objective] if part.objective else []
    return {**context, "area_sections": sections, "objective_parts": objective_parts}


STEPS = [Stage.MONITORING, Stage.SHARED, Stage.INTERVENTION, Stage.CLOSING, Stage.ARCHIVED]


def _stage_bar(case: Case) -> list[dict[str, Any]]:
    current = STEPS.index(case.stage) if case.stage in STEPS else -1
    labels = dict(Stage.choices)
    return [
        {
            "stage": stage,
            "label": labels[stage],
            "number": i + 1,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, stage in enumerate(STEPS)
    ]


def _transitions(user: User, case: Case) -> list[dict[str, Any]]:
    """The transitions this user's role may run now; a missing precondition is shown, not hidden."""
    allowed = []
    for name in TRANSITIONS:
        method = getattr(case, name)
        if not policies.can_transition(user, case, name):
            continue
        if not can_proceed(method, check_conditions=False):
            continue
        if name == "share" and not workflow_policies.can_share_now(user, case):
            continue  # the triage shares it; the page says so (``triage_pending``)
        missing = None
        if not can_proceed(method):
            missing = {
                "start_intervention": _("Add at least one SMART objective first."),
                "archive": _("Write the closing review first."),
            }.get(name, _("A precondition is missing."))
        allowed.append({"name": name, "label": TRANSITION_LABELS[name], "missing": missing})
    return allowed


def case_context(request: HttpRequest, case: Case, **forms_: Any) -> dict[str, Any]:
    user = actor_of(request)
    events = list(case.events.select_related("actor"))
    tasks = list(workflow_selectors.tasks_of_case(case))
    review = ClosingReview.objects.filter(case=case).select_related("author").first()
    objectives = list(case.objectives.select_related("owner"))
    reviews_by_objective(objectives)
    moves = _transitions(user, case)
    can_plan = case.stage in PLAN_STAGES and workflow_policies.can_add_objective(user, case)
    can_review = (
        case.stage == Stage.CLOSING
        and review is None
        and policies.can_write_closing_review(user, case)
    )
    return {
        "case": case,
        "steps": _stage_bar(case),
        "timeline": [
            (event, describe(event), note(event), details(event)) for event in reversed(events)
        ],
        "tasks": tasks,
        "claimable": workflow_selectors.offered_open_task_ids(user, case),
        "objectives": objectives,
        "review": review,
        "transitions": [t for t in moves if t["name"] != "withdraw"],
        "withdraw": next((t for t in moves if t["name"] == "withdraw"), None),
        "share_waits_for_triage": case.stage == Stage.MONITORING
        and policies.can_transition(user, case, "share")
        and not workflow_policies.can_share_now(user, case),
        "transition_form": forms_.get("transition_form") or TransitionForm(),
        "failed_transition": forms_.get("failed_transition"),
        "objective_form": (
            forms_.get("objective_form")
            or ObjectiveForm(functions=case.functions, owners=selectors.objective_owners(case))
        )
        if can_plan
        else None,
        "objective_rows": [
            (objective, _edit_form(case, objective, forms_) if can_plan else None)
            for objective in objectives
        ],
        "closing_form": (forms_.get("closing_form") or ClosingReviewForm()) if can_review else None,
        **sections(request, case, forms_),
        **area_parts(request, case, objectives, forms_),
    }


MOVE_POLICIES = {
    "accept": policies.can_answer_referral,
    "reject": policies.can_answer_referral,
    "complete": policies.can_complete_referral,
    "revoke": policies.can_revoke_referral,
}
MOVE_FROM = {
    "accept": (Referral.Status.REQUESTED,),
    "reject": (Referral.Status.REQUESTED,),
    "complete": (Referral.Status.ACCEPTED,),
    "revoke": (Referral.Status.REQUESTED, Referral.Status.ACCEPTED),
}


def assessment_phase(case: Case) -> str | None:
    return next((phase for phase, stages in PHASE_STAGES.items() if case.stage in stages), None)


def network_of(case: Case, actor: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Who a case may be referred to: the office's active members (not the actor) and the
    directory's contacts without an account."""
    members = [
        (m.user_id, f"{m.user} ({m.get_group_display()})")
        for m in Membership.objects.filter(
            office_id=case.office_id, active=True, user__is_active=True
        )
        .exclude(user_id=actor.pk)
        .select_related("user")
        .order_by("-is_external", "user__last_name", "user_id")
    ]
    contacts = [
        (c.pk, f"{c.name}{f' — {c.organisation}' if c.organisation else ''}")
        for c in Contact.objects.filter(
            office_id=case.office_id, active=True, user__isnull=True
        ).order_by("name", "pk")
    ]
    return members, contacts


def _referral_rows(user: User, case: Case) -> list[dict[str, Any]]:
    rows = (
        Referral.objects.filter(case=case)
        .select_related("case", "to_user", "to_contact", "requested_by")
        .order_by("-requested_at", "-id")
    )
    return [
        {
            "referral": r,
            "moves": [
                name
                for name in REFERRAL_MOVES
                if r.status in MOVE_FROM[name] and MOVE_POLICIES[name](user, r)
            ],
        }
        for r in rows
    ]


def sections(request: HttpRequest, case: Case, forms_: dict[str, Any]) -> dict[str, Any]:
    user = actor_of(request)
    member = policies.can_record_consent(user, case)
    phase = assessment_phase(case)
    assessments = list(case.assessments.select_related("assessed_by").order_by("area", "phase"))
    done = {(a.area, a.phase) for a in assessments}
    assessment_forms = []
    if phase is not None:
        for area, label in Area.choices:
            if (area, phase) in done or not policies.can_assess(user, case, area):
                continue
            bound = forms_.get("assessment_form")
            form = bound if bound is not None and bound.area == area else AssessmentForm(area=area)
            assessment_forms.append({"area": area, "label": label, "form": form})
    may_refer = case.stage in REFERRAL_STAGES and workflow_policies.can_refer(user, case)
    network = network_of(case, user) if may_refer or member else ([], [])
    library_entry = (
        LibraryEntry.objects.filter(case=case).order_by("-version").first()
        if case.stage == Stage.ARCHIVED
        else None
    )
    return {
        "assessments": assessments,
        "assessment_phase": phase,
        "assessment_forms": assessment_forms,
        "may_review_objectives": case.stage in REVIEW_STAGES,
        "objective_statuses": Objective.Status.choices,
        "review_form": forms_.get("review_form"),
        "review_objective": forms_.get("review_objective"),
        "referrals": _referral_rows(user, case),
        "referral_form": (
            forms_.get("referral_form") or ReferralForm(members=network[0], contacts=network[1])
        )
        if may_refer
        else None,
        "consents": list(case.consents.select_related("recipient_user", "recipient_contact"))
        if member
        else None,
        "consent_form": (
            forms_.get("consent_form") or ConsentForm(members=network[0], contacts=network[1])
        )
        if member and case.is_open
        else None,
        "library_consent_form": (forms_.get("library_consent_form") or LibraryConsentForm())
        if member
        and case.stage == Stage.ARCHIVED
        and library_entry is None
        and active_consent(case, Consent.Scope.LIBRARY) is None
        else None,
        "agenda_items": list(workflow_selectors.agenda_items_of_case(user, case)),
        "library_entry": library_entry,
        "may_draft_library": case.stage == Stage.ARCHIVED
        and library_entry is None
        and policies.can_draft_library_entry(user, case),
    }


def objective_edit_form(case: Case, objective: Objective, data: Any = None) -> ObjectiveForm:
    """The form that changes one objective, its fields named apart from the other objectives'."""
    return ObjectiveForm(
        data,
        functions=case.functions,
        owners=selectors.objective_owners(case),
        prefix=f"objective{objective.pk}",
        initial={
            "description": objective.description,
            "indicator": objective.indicator,
            "baseline": objective.baseline,
            "target": objective.target,
            "deadline": objective.deadline,
            "function": objective.function,
            "owner": objective.owner_id,
        },
    )


def _edit_form(case: Case, objective: Objective, forms_: dict[str, Any]) -> ObjectiveForm | None:
    """Editable until progress is recorded against it (the service's 409 otherwise)."""
    if objective.reviews.all():
        return None
    if forms_.get("edit_objective") == objective.pk:
        form: ObjectiveForm = forms_["edit_form"]
        return form
    return objective_edit_form(case, objective)


def reviews_by_objective(objectives: list[Objective]) -> None:
    """Each objective's progress reviews, newest last, in one query."""
    prefetch_related_objects(objectives, "reviews__reviewed_by")
