"""The case page's sections beyond the stage machine: structured assessments, progress on the
SMART objectives, consent and referrals, the meetings that discussed the case, and its library
entry. Each action calls the service the API calls; checks run in the API's order (the case
through its selector: 404; the role through a policy: 403; the form: 400; the service: 409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import policies, selectors
from casework.errors import Conflict, Invalid, NotFound
from casework.models import (
    Area,
    Assessment,
    Case,
    Consent,
    Contact,
    Referral,
    User,
)
from casework.models.network import REFERRAL_MOVES
from casework.roles import actor_of
from casework.services.assessments import assessment_record
from casework.services.consents import consent_record
from casework.web.errors import (
    conflict_page,
    domain_errors,
    form_write,
    invalid_page,
    put_errors,
    safe_back,
)
from workflows import policies as workflow_policies
from workflows import services
from workflows.selectors import referral_get_for_user
from workflows.web.case_forms import (
    AssessmentForm,
    ConsentForm,
    LibraryConsentForm,
    ObjectiveReviewForm,
    ReasonForm,
    ReferralForm,
)
from workflows.web.case_page import (
    assessment_phase,
    case_context,
    network_of,
    objective_edit_form,
)


def _page(request: HttpRequest, case: Case, status: int, **forms_: Any) -> HttpResponse:
    return render(
        request, "workflows/case_detail.html", case_context(request, case, **forms_), status=status
    )


def _back(case: Case, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]) + anchor)


@require_POST
@domain_errors
def assess(request: HttpRequest, pk: int, area: str) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    if area not in Area.values:
        raise NotFound()
    policies.require_assess(actor_of(request), case, area)
    form = AssessmentForm(request.POST, area=area)
    if form.is_valid():
        phase = assessment_phase(case) or Assessment.Phase.INITIAL
        try:
            assessment_record(
                case=case,
                actor=actor_of(request),
                area=area,
                phase=phase,
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
            )
        except Invalid as invalid:
            _scores_errors(form, invalid.fields)
        except Conflict as conflict:
            return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
        else:
            messages.success(request, _("Assessment saved."))
            return _back(case, "#assessments")
    return _page(request, case, 400, assessment_form=form)


def _scores_errors(form: AssessmentForm, fields: dict[str, list[str]]) -> None:
    # The service names the whole "scores" field; the page marks the items left empty.
    scores = fields.pop("scores", None)
    if scores:
        empty = [
            name for name in form.fields if name.startswith("score_") and not form[name].value()
        ]
        for name in empty:
            form.add_error(name, _("Score this item from 1 to 5."))
        if not empty:
            for message in scores:
                form.add_error(None, message)
    put_errors(form, fields)


@require_POST
@domain_errors
def objective_review(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    case, objective = _objective_of(
        request, pk, objective_pk, require=workflow_policies.require_review_objective
    )
    form = ObjectiveReviewForm(request.POST, objective_id=objective.pk)
    try:
        reviewed = form_write(
            form,
            lambda data: services.objective_review(
                objective=objective, actor=actor_of(request), **data
            ),
        )
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
    if reviewed:
        messages.success(request, _("Progress recorded."))
        return _back(case, f"#objective-{objective.pk}")
    return _page(request, case, 400, review_form=form, review_objective=objective.pk)


def _objective_of(
    request: HttpRequest,
    pk: int,
    objective_pk: int,
    require: Callable[[Any, Any], None] = workflow_policies.require_change_objective,
) -> tuple[Case, Any]:
    """The case (404 unless visible), one of its objectives (404), and the role ``require``
    asks for (403; changing the objective unless told otherwise)."""
    case = selectors.case_get_for_user(actor_of(request), pk)
    objective = case.objectives.filter(pk=objective_pk).first()
    if objective is None:
        raise NotFound()
    require(actor_of(request), objective)
    return case, objective


@require_POST
@domain_errors
def objective_edit(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    case, objective = _objective_of(request, pk, objective_pk)
    form = objective_edit_form(case, objective, request.POST)
    try:
        changed = form_write(
            form,
            lambda data: services.objective_update(
                objective=objective, actor=actor_of(request), **data
            ),
        )
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
    if changed:
        messages.success(request, _("Objective changed."))
        return _back(case, f"#objective-{objective.pk}")
    return _page(request, case, 400, edit_form=form, edit_objective=objective.pk)


@require_POST
@domain_errors
def objective_remove(request: HttpRequest, pk: int, objective_pk: int) -> HttpResponse:
    case, objective = _objective_of(request, pk, objective_pk)
    try:
        services.objective_remove(objective=objective, actor=actor_of(request))
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
    messages.success(request, _("Objective removed from the plan."))
    return _back(case, "#plan")


def _pick(model: type[Any], pk: int | None, **scope: Any) -> Any:
    if pk is None:
        return None
    return model.objects.filter(pk=pk, **scope).first()


@require_POST
@domain_errors
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    policies.require_record_consent(actor_of(request), case)
    members, contacts = network_of(case, actor_of(request))
    for_library = request.POST.get("scope") == Consent.Scope.LIBRARY and not case.is_open
    form: forms.Form = (
        LibraryConsentForm(request.POST)
        if for_library
        else ConsentForm(request.POST, members=members, contacts=contacts)
    )

    def record(cleaned: dict[str, Any]) -> object:
        data = dict(cleaned)
        data["recipient_user"] = _pick(User, data.get("recipient_user"))
        data["recipient_contact"] = _pick(Contact, data.get("recipient_contact"))
        return consent_record(case=case, actor=actor_of(request), **data)

    try:
        recorded = form_write(form, record)
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
    if recorded:
        messages.success(request, _("Consent recorded."))
        return _back(case, "#library" if for_library else "#referrals")
    bound = {"library_consent_form" if for_library else "consent_form": form}
    return _page(request, case, 400, **bound)


@require_POST
@domain_errors
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    found = Consent.objects.filter(pk=consent_pk, case=case).select_related("case").first()
    if found is None:
        raise NotFound()
    policies.require_record_consent(actor_of(request), case)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.consent_withdraw(
        consent=found, actor=actor_of(request), note=form.cleaned_data.get("reason", "")
    )
    messages.info(request, _("Consent withdrawn; the referrals resting on it have ended."))
    return _back(case, "#referrals")


@require_POST
@domain_errors
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    workflow_policies.require_refer(actor_of(request), case)
    members, contacts = network_of(case, actor_of(request))
    form = ReferralForm(request.POST, members=members, contacts=contacts)
    status = 400
    try:
        sent = form_write(
            form,
            lambda data: services.referral_request(
                case=case,
                actor=actor_of(request),
                purpose=data["purpose"],
                to_user=_pick(User, data["to"]),
                to_contact=_pick(Contact, data["contact"]),
            ),
        )
    except Conflict as conflict:
        form.add_error(None, conflict.detail)
        sent, status = None, 409
    if sent:
        messages.success(request, _("Referral sent."))
        return _back(case, "#referrals")
    return _page(request, case, status, referral_form=form)


@require_POST
@domain_errors
def referral_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """accept / reject / complete / revoke, from the case page or the referrals list."""
    if name not in REFERRAL_MOVES:
        raise NotFound()
    referral = referral_get_for_user(actor_of(request), pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    back = request.POST.get("next") or ""
    try:
        services.referral_change(
            referral=referral,
            name=name,
            actor=actor_of(request),
            reason=form.cleaned_data.get("reason", ""),
        )
    except Invalid as invalid:
        return invalid_page(request, invalid, back=_safe_next(request, back, referral))
    messages.success(request, _("Referral updated."))
    return HttpResponseRedirect(_safe_next(request, back, referral))


def _safe_next(request: HttpRequest, back: str, referral: Referral) -> str:
    target = safe_back(request, back)
    if target:
        return target
    if selectors.user_may_see_case(actor_of(request), referral.case):
        return reverse("cases:detail", args=[referral.case_id]) + "#referrals"
    return reverse("referrals:list")


@require_POST
@domain_errors
def library_draft(request: HttpRequest, case_pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = selectors.case_get_for_user(actor, case_pk)
    policies.require_draft_library_entry(actor, case)
    try:
        made = services.library_entry_draft(case=case, actor=actor)
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[case.pk]))
    messages.success(request, _("Draft made: a second reviewer checks and publishes it."))
    return HttpResponseRedirect(reverse("library:entry", args=[made.pk]))
