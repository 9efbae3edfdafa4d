"""Reports on the web: the list with a new report, and the report's page with its figures, its
narrative and the step buttons for whoever may act now."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.errors import Invalid, NotFound
from casework.roles import actor_of
from casework.services.audit import audit_list
from casework.web.errors import domain_errors
from counselling.models import ReportKind
from counselling.reports import policies, services
from counselling.reports.export import (
    figure_rows,
    indicator_rows,
    report_file_response,
    shown_content,
)
from counselling.reports.periods import choices_around
from counselling.reports.selectors import open_step, report_get_for_user, reports_visible_to
from plans.selectors import plan_get_for_user

PAGE = 30

DONE = {
    "submit": gettext_lazy("The report was submitted."),
    "register": gettext_lazy("The report was registered."),
    "analyse": gettext_lazy("The analysis was recorded."),
    "approve": gettext_lazy("The report was approved."),
    "return": gettext_lazy("The report was returned to its author."),
}


@domain_errors
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    policies.require_see_reports(user)
    page = Paginator(reports_visible_to(user).order_by("-created_at", "-id"), PAGE).get_page(
        request.GET.get("page")
    )
    audit_list(actor=user, object_type="report", ids=[r.pk for r in page])
    kinds = [
        (k, label)
        for k, label in ReportKind.choices
        if k in policies.kinds_drafted_by(user) and k != ReportKind.PLAN_MONITORING
    ]
    return render(
        request,
        "counselling/report_list.html",
        {"page": page, "kinds": kinds, "periods": choices_around(timezone.localdate())},
    )


@domain_errors
@require_POST
def report_new(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    # A plan monitoring report is drafted from the plan's page, which names the plan.
    plan = request.POST.get("plan")
    report = services.report_draft(
        actor=user,
        kind=request.POST.get("kind", ""),
        period=request.POST.get("period", ""),
        plan=plan_get_for_user(user, plan, audit=False) if plan else None,
    )
    messages.success(request, _("The report is drafted from your records: add the narrative."))
    return HttpResponseRedirect(reverse("reports:detail", args=[report.pk]))


@domain_errors
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor_of(request)
    report = report_get_for_user(user, pk, audit=request.method == "GET")
    if request.method == "POST":
        services.report_edit(actor=user, report=report, narrative=request.POST.get("narrative", ""))
        messages.success(request, _("The narrative was saved."))
        return HttpResponseRedirect(reverse("reports:detail", args=[report.pk]))
    content = shown_content(report)
    step = open_step(report)
    return render(
        request,
        "counselling/report_detail.html",
        {
            "report": report,
            "content": content,
            "rows": figure_rows(content),
            "indicators": indicator_rows(content),
            "steps": policies.steps_for(user, report),
            "may_edit": user.pk == report.author_id and report.editable,
            "waiting_at": step.task.flow_task.task_title if step else "",
        },
    )


@domain_errors
@require_POST
def report_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.ACTIONS:
        raise NotFound()
    user = actor_of(request)
    report = report_get_for_user(user, pk, audit=False)
    extra: dict[str, Any] = {}
    if action == "analyse":
        extra["note"] = request.POST.get("note", "")
    elif action == "return":
        extra["remarks"] = request.POST.get("remarks", "")
    try:
        if action == "submit" and "narrative" in request.POST:
            # Submitted from the narrative's form: what was typed goes with the report.
            services.report_edit(actor=user, report=report, narrative=request.POST["narrative"])
        services.ACTIONS[action](actor=user, report=report, **extra)
    except Invalid as invalid:
        for problems in invalid.fields.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, str(DONE[action]))
    return HttpResponseRedirect(reverse("reports:detail", args=[report.pk]))


@domain_errors
@require_GET
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise NotFound()
    user = actor_of(request)
    report = report_get_for_user(user, pk, audit=False)
    return report_file_response(report, user, fmt)
