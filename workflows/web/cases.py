"""Case pages: the cases I flagged, the office's cases, one case, and the actions on it.

Every action calls the service the API calls (``workflows.services``,
``casework.services.cases``); the checks run in the API's order — fetch through a selector
(404), role through a policy (403), the form (400), the service (409).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import policies, risk, selectors
from casework.errors import Conflict
from casework.models import Case, Stage, Student
from casework.models.case import TRANSITIONS
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.services.cases import closing_review_create, flag_refusal
from casework.services.risk import risk_assess
from casework.web.errors import conflict_page, domain_errors, form_write
from workflows import policies as workflow_policies
from workflows import services
from workflows.web.case_page import case_context
from workflows.web.forms import (
    ClosingReviewForm,
    FlagForm,
    ObjectiveForm,
    TransitionForm,
)

PAGE_SIZE = 50


def _audit_list(request: HttpRequest, cases: list[Case]) -> None:
    audit_list(
        actor=actor_of(request),
        object_type="case",
        ids=[case.pk for case in cases],
    )


def _case_rows(request: HttpRequest, queryset: Any, template: str, **context: Any) -> HttpResponse:
    page = Paginator(queryset.select_related("student"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _audit_list(request, list(page.object_list))
    return render(request, template, {"page": page, "cases": page.object_list, **context})


@require_GET
def flagged(request: HttpRequest) -> HttpResponse:
    """The teacher's page: the cases I flagged and where each one is."""
    queryset = selectors.cases_visible_to(actor_of(request)).filter(flagged_by=actor_of(request).pk)
    return _case_rows(
        request, queryset, "workflows/case_list.html", title=_("Cases I flagged"), mine=True
    )


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case I may see, by stage."""
    queryset = selectors.cases_visible_to(actor_of(request))
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        queryset = queryset.filter(stage=stage)
    return _case_rows(
        request,
        queryset,
        "workflows/case_list.html",
        title=_("Cases"),
        stages=Stage.choices,
        stage=stage,
    )


@require_GET
@domain_errors
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    return render(request, "workflows/case_detail.html", case_context(request, case))


@require_POST
@domain_errors
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in TRANSITIONS:
        raise Http404
    case = selectors.case_get_for_user(actor_of(request), pk)
    policies.require_transition(actor_of(request), case, name)
    form = TransitionForm(request.POST)
    status = 400
    try:
        moved = form_write(
            form,
            lambda data: services.case_transition(
                case=case,
                name=name,
                actor=actor_of(request),
                note=data["note"],
                cancel_open_tasks=data["cancel_open_tasks"],
            ),
        )
    except Conflict as conflict:
        form.add_error(None, conflict.detail)
        if "open_tasks" in conflict.extra:
            form.add_error(None, _("Tick “Cancel the tasks still open” to close the case anyway."))
        moved, status = None, 409
    if moved:
        messages.success(
            request,
            _("Done: the case is now “%(stage)s”.") % {"stage": case.get_stage_display()},
        )
        return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    case = selectors.case_get_for_user(actor_of(request), pk, audit=False)
    context = case_context(request, case, transition_form=form, failed_transition=name)
    return render(request, "workflows/case_detail.html", context, status=status)


@require_POST
@domain_errors
def add_objective(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    workflow_policies.require_add_objective(actor_of(request), case)
    form = ObjectiveForm(
        request.POST, functions=case.functions, owners=selectors.objective_owners(case)
    )
    status = 400
    try:
        added = form_write(
            form, lambda data: services.objective_add(case=case, actor=actor_of(request), **data)
        )
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
    if added:
        messages.success(request, _("Objective added to the plan."))
        return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]) + "#plan")
    context = case_context(request, case, objective_form=form)
    return render(request, "workflows/case_detail.html", context, status=status)


@require_POST
@domain_errors
def closing_review(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor_of(request), pk)
    policies.require_write_closing_review(actor_of(request), case)
    form = ClosingReviewForm(request.POST)
    if form.is_valid():
        try:
            closing_review_create(case=case, actor=actor_of(request), **form.cleaned_data)
        except Conflict as conflict:
            return conflict_page(request, conflict, back=reverse("cases:detail", args=[pk]))
        messages.success(request, _("Closing review saved; the case can be archived."))
        return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    context = case_context(request, case, closing_form=form)
    return render(request, "workflows/case_detail.html", context, status=400)


def _suggested_flag(student: Student) -> dict[str, Any]:
    """The risk indicators' ready-made reason and functions (the API's ``flag``), to start from."""
    suggestion = risk.flag_suggestion(risk_assess(student).indicators)
    return dict(suggestion) if suggestion else {}


def _flag_context(request: HttpRequest, student: Student, form: forms.Form) -> dict[str, Any]:
    open_case = selectors.open_case_of_student(student)
    return {
        "student": student,
        "form": form,
        "open_case": open_case,
        "open_case_visible": open_case is not None
        and selectors.user_may_see_case(actor_of(request), open_case),
        # Said before anyone writes a reason, not only when the form is sent.
        "refusal": flag_refusal(student.school),
    }


@domain_errors
def flag(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Flag a student: opens a case and sends the triage to group 2."""
    student = selectors.student_get_for_user(actor_of(request), student_pk)
    policies.require_flag(actor_of(request), student)
    if request.method == "GET":
        form = FlagForm(initial=_suggested_flag(student))
        return render(request, "workflows/flag.html", _flag_context(request, student, form))
    if request.method != "POST":
        return HttpResponse(status=405)
    form = FlagForm(request.POST)
    status = 400
    try:
        flagged = form_write(
            form,
            lambda data: services.case_flag(
                student=student,
                actor=actor_of(request),
                reason=data["reason"],
                functions=data["functions"],
            ),
        )
    except Conflict as conflict:
        flagged, status = None, 409
        if "open_case" not in conflict.extra:
            form.add_error(None, conflict.detail)
    if flagged:
        messages.success(
            request,
            _("%(student)s is flagged; the office has been told.") % {"student": student.full_name},
        )
        return HttpResponseRedirect(reverse("cases:detail", args=[flagged.value.pk]))
    context = _flag_context(request, student, form)
    return render(request, "workflows/flag.html", context, status=status)
