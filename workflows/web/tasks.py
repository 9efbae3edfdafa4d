"""Task pages: the queue of my groups, my tasks, what I finished, and one task's form.

Claim, release and complete call ``workflows.services`` — the same functions as the API — so
notifications, the timeline and the audit trail are written whichever front is used.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.errors import Conflict
from casework.roles import actor_of
from casework.web.errors import conflict_page, domain_errors, form_write, safe_back
from workflows import selectors, services
from workflows.models import CaseTask, TaskName
from workflows.web.forms import NoteForm, TriageForm

LISTS = {
    "queue": selectors.available_tasks,
    "inbox": selectors.my_tasks,
    "archive": selectors.tasks_done_by,
}
# A page of a task list: what fits a phone's screen a few times over. Each row is a form with
# its own token and links, so rendering is most of a list page's cost; later pages are a link away.
PAGE_SIZE = 25


def _rows(queryset: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    # Everything a row shows, in the same query: the student's name and the holder.
    return queryset.select_related("case__student", "task__owner")


def _list_page(request: HttpRequest, kind: str, title: str) -> HttpResponse:
    queryset = _rows(LISTS[kind](actor_of(request)))
    if kind == "archive":
        queryset = queryset.order_by("-task__finished", "-task_id")
    else:
        queryset = queryset.order_by("due_at", "task_id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/task_list.html",
        {"tasks": page.object_list, "page": page, "kind": kind, "title": title},
    )


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "queue", _("Task queue of my groups"))


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "inbox", _("My tasks"))


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "archive", _("Tasks I finished"))


@require_GET
@domain_errors
def row(request: HttpRequest, pk: int) -> HttpResponse:
    """One row of a task list, for the live page to insert; 204 when it is not on that list,
    404 when its case is not yours to see (like every other address of a task)."""
    kind = request.GET.get("list", "queue")
    if kind not in LISTS:
        return HttpResponse(status=400)
    selectors.task_get_for_user(actor_of(request), pk)
    case_task = _rows(LISTS[kind](actor_of(request))).filter(pk=pk).first()
    if case_task is None:
        return HttpResponse(status=204)
    return render(request, "workflows/includes/task_row.html", {"t": case_task, "kind": kind})


@domain_errors
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a task link goes: its form for the holder, otherwise its case."""
    case_task = selectors.task_get_for_user(actor_of(request), pk)
    if case_task.task.owner_id == request.user.pk and case_task.task.status == "ASSIGNED":
        return HttpResponseRedirect(reverse("tasks:execute", args=[case_task.pk]))
    return HttpResponseRedirect(reverse("cases:detail", args=[case_task.case_id]) + "#tasks")


@require_POST
@domain_errors
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    case_task = selectors.task_get_for_user(actor_of(request), pk)
    try:
        services.task_claim(case_task=case_task, actor=actor_of(request))
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("tasks:queue"))
    messages.success(request, _("The task is yours: %(task)s") % {"task": case_task.display_title})
    return HttpResponseRedirect(reverse("tasks:execute", args=[case_task.pk]))


@require_POST
@domain_errors
def release(request: HttpRequest, pk: int) -> HttpResponse:
    case_task = selectors.task_get_for_user(actor_of(request), pk)
    services.task_release(case_task=case_task, actor=actor_of(request))
    messages.info(request, _("You gave the task back to the group."))
    return HttpResponseRedirect(reverse("tasks:queue"))


def _form_class(case_task: CaseTask) -> type[forms.Form]:
    return TriageForm if case_task.name == TaskName.TRIAGE else NoteForm


def _initial(case_task: CaseTask) -> dict[str, Any]:
    """The triage starts from the functions the teacher asked for when flagging."""
    if case_task.name == TaskName.TRIAGE:
        return {"recommended_functions": list(case_task.case.functions)}
    return {}


def _execute_context(case_task: CaseTask, form: forms.Form) -> dict[str, Any]:
    return {"t": case_task, "form": form, "case": case_task.case}


@domain_errors
def execute(request: HttpRequest, pk: int, process_pk: int | None = None) -> HttpResponse:
    """Complete a task you hold: triage records its result, other tasks a note."""
    case_task = selectors.task_get_for_user(actor_of(request), pk)
    if process_pk is not None and process_pk != case_task.task.process_id:
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    try:
        # The service's check, asked before the form is shown.
        services.task_check_held(case_task=case_task, actor=actor_of(request))
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("tasks:queue"))
    form_class = _form_class(case_task)
    if request.method == "GET":
        return render(
            request,
            "workflows/task_execute.html",
            _execute_context(case_task, form_class(initial=_initial(case_task))),
        )
    form = form_class(request.POST)
    try:
        completed = form_write(
            form,
            lambda data: services.task_complete(
                case_task=case_task, actor=actor_of(request), result=data
            ),
        )
    except Conflict as conflict:
        return conflict_page(request, conflict, back=reverse("tasks:inbox"))
    if completed:
        messages.success(request, _("Task completed."))
        next_url = safe_back(request, request.POST.get("next") or request.GET.get("next"))
        return HttpResponseRedirect(next_url or reverse("cases:detail", args=[case_task.case_id]))
    return render(
        request, "workflows/task_execute.html", _execute_context(case_task, form), status=400
    )
