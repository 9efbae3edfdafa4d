"""ReportFlow: one viewflow process per report, its steps tasks for the positions.

    start ─▶ draft (author) ─▶ register (receiver) ─▶ after_register ─┬─▶ conclude (receiver)
                                    ▲                                 └─▶ revise
           revise (author) ─▶ after_revise ─┬─▶ register              conclude ─▶ after_conclude
                                            └─▶ conclude                 ├─▶ revise
                                                                         └─▶ end

``conclude`` is the analysis of a semester report (the career counsellor, with the deputy
director) or the approval of a summary or plan monitoring report (the director). A returned
report goes to ``revise``; resubmitted, it goes back to the step that returned it, which the
report remembers (``returned_at_step``). The status field of the report is the truth: the
services change it, then complete the step; the gateways only read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process

from casework.models import User
from counselling.models import Report, ReportProcess, ReportStatus
from counselling.reports import steps


def _report_page(request: Any, **kwargs: Any) -> Any:
    report_id = Process.objects.values_list("artifact_object_id", flat=True).get(
        pk=kwargs["process_pk"]
    )
    return HttpResponseRedirect(reverse("reports:detail", args=[report_id]))


class ReportStep(flow.View):
    """A human step of a report. viewflow's own task pages are switched off: the report page
    and the API act through ``counselling.reports.services``, which notify and audit."""

    index_view_class = None
    detail_view_class = None
    assign_view_class = None
    unassign_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_report_page, **kwargs)

    @property
    def view_path(self) -> Any:
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", _report_page, name="execute"
        )

    # The services decide who acts (counselling.reports.policies); these answer viewflow.
    def can_assign(self, user: Any, task: Any) -> bool:
        return task.owner_id is None

    def can_execute(self, user: Any, task: Any) -> bool:
        return task.owner_id is not None and task.owner_id == user.pk


def report_of(activation: Any) -> Report:
    return Report.objects.get(pk=activation.process.artifact_object_id)


def _author(activation: Any) -> User:
    return report_of(activation).author


def _returned(activation: Any) -> bool:
    return report_of(activation).status == ReportStatus.RETURNED


def _back_to_register(activation: Any) -> bool:
    return report_of(activation).returned_at_step == "register"


class ReportFlow(flow.Flow):
    """Report

    A counselling report's circuit: drafted, registered, analysed or approved, or returned.
    """

    process_class = ReportProcess
    # Blocking SELECT ... FOR UPDATE on the process row, as the case flow: two clicks on one
    # report queue up; the second finds the step done and is refused (409).
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Next(this.draft)
    draft = (
        ReportStep()
        .Annotation(title=_("Write and submit the report"))
        .Assign(_author)
        .onCreate(this.task_created)
        .Next(this.register)
    )
    register = (
        ReportStep()
        .Annotation(title=_("Register the report"))
        .onCreate(this.task_created)
        .Next(this.after_register)
    )
    after_register = flow.Switch().Case(this.revise, _returned).Default(this.conclude)
    conclude = (
        ReportStep()
        .Annotation(title=_("Analyse or approve the report"))
        .onCreate(this.task_created)
        .Next(this.after_conclude)
    )
    after_conclude = flow.Switch().Case(this.revise, _returned).Default(this.end)
    revise = (
        ReportStep()
        .Annotation(title=_("Revise the returned report"))
        .Assign(_author)
        .onCreate(this.task_created)
        .Next(this.after_revise)
    )
    after_revise = flow.Switch().Case(this.register, _back_to_register).Default(this.conclude)
    end = flow.End()

    process_title = _("Report")

    def start_process(self, activation: Any, *, report_id: int) -> Any:
        activation.process.artifact_object_id = report_id
        activation.process.artifact_content_type = ContentType.objects.get_for_model(Report)
        return activation.process

    def task_created(self, activation: Any) -> None:
        steps.on_step_created(activation, report_of(activation))
