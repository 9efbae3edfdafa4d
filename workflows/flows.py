"""InterventionFlow: the five steps of the seed as one viewflow process per case.

    start ─▶ split_flagged ─┬─▶ triage (group 2) ─▶ triage_done
                            └─▶ share ─▶ start_intervention ─▶ split_intervention ─┐
        ┌──────────────────────────────────────────────────────────────────────────┘
        ├─▶ split_functions ─▶ information (1) / pedagogical (2) / socio_economic (3) /
        │                      administrative (4) ─▶ join_functions ─▶ functions_done
        └─▶ start_closing ─▶ split_closing ─┬─▶ closing_meeting (groups 1-2) ─▶ closing_done
                                            └─▶ archive ─▶ library_publication (coordinator) ─▶ end

``OfficeTaskFlow`` is the second, smaller flow: one task the office meeting decides for a group
("create a task for a group"), started per decision. Its tasks are the case's tasks like any
other (case_task, offers, due jobs, notifications), and they queue on the same lock: the row of the
case's intervention process.

The Handle nodes (share, start_intervention, start_closing, archive) are the stage
transitions: a workflows service runs them, and their body calls the casework service, so the
case's stage field stays the single source of truth and the flow never sets it behind its back.
Each one waits, pending, from the moment the previous stage is reached; which handle is pending
therefore always says which stage the case is in (a test holds the two together).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process

from casework import roles
from casework.models import Case, Function, Group, User
from workflows import lifecycle, nodes, selectors
from workflows.models import CaseProcess, OfficeTaskProcess, TaskName


def _execute_view(request: Any, **kwargs: Any) -> Any:
    # The node's own address (mounted by nobody) sends the browser to our execute page, which
    # checks the process as well; the flow names the page by its URL, not by its view.
    return HttpResponseRedirect(reverse("tasks:execute", args=[kwargs["task_pk"]]))


class GroupTask(flow.View):
    """A human task offered to one or two role groups (or to coordinators) of the case's office.

    viewflow's own task pages (assign, unassign, cancel, undo, revive, detail) change tasks
    without our services, so no notification, timeline row or audit row would be written: they
    are switched off here, and the execute page is ours (``workflows.web.tasks.execute``), which
    completes through ``workflows.services.task_complete``. The web pages claim and release
    through the services too; the project mounts none of viewflow's flow URLs.
    """

    # Completing one writes its row with those of the nodes after it (workflows/nodes.py).
    activation_class = nodes.ViewOnceActivation
    index_view_class = None
    detail_view_class = None
    assign_view_class = None
    unassign_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None

    def __init__(
        self,
        group: Group | None,
        *,
        second_group: Group | None = None,
        coordinators_only: bool = False,
        group_from_process: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(_execute_view, **kwargs)
        self.group = group
        self.second_group = second_group
        self.coordinators_only = coordinators_only
        # The office meeting's tasks: the group the decision named, kept in the process data.
        self.group_from_process = group_from_process

    def group_for(self, task: Any) -> int:
        if self.group_from_process:
            return int(task.process.data["group"])
        if self.group is not None:
            return int(self.group)
        # A coordinators' task assigned on creation reports its holder's group.
        membership = roles.membership_in(task.owner, lifecycle.case_of_task(task).office_id)
        return int(membership.group) if membership else int(Group.EDUCATORS)

    @property
    def view_path(self) -> Any:
        # Without viewflow's wrapper: it would start the task on GET and hold the flow lock
        # and a transaction around the view, which the services take themselves.
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", _execute_view, name="execute"
        )

    # viewflow's own views (the task pages) ask these; the services ask the same selectors.
    def can_assign(self, user: User, task: Any) -> bool:
        case_task = getattr(task, "case_task", None)
        return bool(
            task.owner_id is None
            and case_task is not None
            and selectors.is_offered(user, case_task)
        )

    def can_unassign(self, user: User, task: Any) -> bool:
        return task.owner_id is not None and task.owner_id == user.pk

    def can_execute(self, user: User, task: Any) -> bool:
        return task.owner_id is not None and task.owner_id == user.pk


def _needs(function: str) -> Any:
    return lambda activation: function in lifecycle.case_of(activation).functions


def _archiving_coordinator(activation: Any) -> User:
    return User.objects.get(pk=activation.process.data["archived_by"])


class InterventionFlow(flow.Flow):
    """Intervention

    One process per case: triage, the office's decision, the work per needed function, the
    closing meeting, and publication to the case library.
    """

    process_class = CaseProcess
    # Blocking SELECT ... FOR UPDATE on the process row: claims and transitions of one case
    # queue up instead of failing fast (NOWAIT) and retrying with sleeps of 0.4-1.6 s; exactly
    # one of concurrent claimers wins either way. With 8 claimers per task: 29.6 claims/s
    # against 1.1 with NOWAIT (docs/PERFORMANCE.md, "Claims under contention").
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    # The start, the Ends and the Join write viewflow's rows in fewer statements
    # (workflows/nodes.py: the hot paths, flagging and completing a task).
    start = nodes.NewProcessStart(this.start_process).Next(this.split_flagged)
    split_flagged = flow.Split().Always(this.triage).Always(this.share)

    triage = (
        GroupTask(Group.PEDAGOGY)
        .Annotation(title=TaskName.TRIAGE.label)
        .Permission("workflows.work_group2")
        .onCreate(this.task_created)
        .Next(this.triage_done)
    )
    triage_done = nodes.EndOnce()

    share = nodes.HandleOnce(this.transition).Next(this.start_intervention)
    start_intervention = nodes.HandleOnce(this.transition).Next(this.split_intervention)
    split_intervention = flow.Split().Always(this.split_functions).Always(this.start_closing)

    split_functions = (
        flow.Split()
        .Next(this.information, case=_needs(Function.INFORMATION))
        .Next(this.pedagogical, case=_needs(Function.PEDAGOGICAL))
        .Next(this.socio_economic, case=_needs(Function.SOCIO_ECONOMIC))
        .Next(this.administrative, case=_needs(Function.ADMINISTRATIVE))
    )
    information = (
        GroupTask(Group.EDUCATORS)
        .Annotation(title=TaskName.INFORMATION.label)
        .Permission("workflows.work_group1")
        .onCreate(this.task_created)
        .Next(this.join_functions)
    )
    pedagogical = (
        GroupTask(Group.PEDAGOGY)
        .Annotation(title=TaskName.PEDAGOGICAL.label)
        .Permission("workflows.work_group2")
        .onCreate(this.task_created)
        .Next(this.join_functions)
    )
    socio_economic = (
        GroupTask(Group.SOCIAL)
        .Annotation(title=TaskName.SOCIO_ECONOMIC.label)
        .Permission("workflows.work_group3")
        .onCreate(this.task_created)
        .Next(this.join_functions)
    )
    administrative = (
        GroupTask(Group.ADMINISTRATION)
        .Annotation(title=TaskName.ADMINISTRATIVE.label)
        .Permission("workflows.work_group4")
        .onCreate(this.task_created)
        .Next(this.join_functions)
    )
    join_functions = nodes.JoinOnce().Next(this.functions_done)
    functions_done = nodes.EndOnce()

    start_closing = nodes.HandleOnce(this.transition).Next(this.split_closing)
    split_closing = flow.Split().Always(this.closing_meeting).Always(this.archive)
    closing_meeting = (
        GroupTask(Group.PEDAGOGY, second_group=Group.EDUCATORS)
        .Annotation(title=TaskName.CLOSING_MEETING.label)
        .Permission("workflows.work_closing")
        .onCreate(this.task_created)
        .Next(this.closing_done)
    )
    closing_done = nodes.EndOnce()

    archive = nodes.HandleOnce(this.transition).Next(this.library_publication)
    library_publication = (
        GroupTask(None, coordinators_only=True)
        .Annotation(title=TaskName.LIBRARY_PUBLICATION.label)
        .Permission("workflows.coordinate")
        .Assign(_archiving_coordinator)
        .onCreate(this.task_created)
        .Next(this.end)
    )
    end = nodes.EndOnce()

    process_title = _("Intervention")

    def start_process(self, activation: Any, *, case_id: int, case: Case | None = None) -> Any:
        activation.process.artifact_object_id = case_id
        activation.process.artifact_content_type = ContentType.objects.get_for_model(Case)
        if case is not None:
            # The case just opened in this transaction: the tasks the start creates need not
            # read it again (lifecycle.case_of).
            lifecycle.remember_case(activation.process, case)
        return activation.process

    def task_created(self, activation: Any) -> None:
        lifecycle.on_task_created(activation)

    def transition(self, activation: Any, **kwargs: Any) -> Any:
        return lifecycle.run_transition(activation, **kwargs)


# The Handle node that moves a case out of each open stage.
HANDLE_FOR_STAGE = {
    "monitoring": "share",
    "shared": "start_intervention",
    "intervention": "start_closing",
    "closing": "archive",
}


class CaseLock:
    """Lock an office-task process by locking its case's intervention process row.

    Every change to one case — transitions, claims, completions, cancellations, office tasks —
    then queues on one row, so none of them can interleave (the same blocking lock as
    InterventionFlow's).
    """

    @contextmanager
    def __call__(self, flow_class: Any, process_pk: int) -> Iterator[None]:
        with transaction.atomic():
            case_id = (
                Process.objects.filter(pk=process_pk)
                .values_list("artifact_object_id", flat=True)
                .first()
            )
            rows = Process.objects.select_for_update().filter(
                artifact_object_id=case_id, flow_class=InterventionFlow
            )
            list(rows.values_list("pk", flat=True))
            yield


def _office_task_permission(activation: Any) -> str:
    return f"workflows.work_group{int(activation.process.data['group'])}"


class OfficeTaskFlow(flow.Flow):
    """Office task

    A task the office meeting decided for one of the four groups, about one case.
    """

    process_class = OfficeTaskProcess
    lock_impl = CaseLock()

    start = flow.StartHandle(this.start_process).Next(this.office_task)
    office_task = (
        GroupTask(None, group_from_process=True)
        .Annotation(title=TaskName.OFFICE_TASK.label)
        .Permission(_office_task_permission)
        .onCreate(this.task_created)
        .Next(this.end)
    )
    end = nodes.EndOnce()

    process_title = _("Office task")

    def start_process(self, activation: Any, *, case_id: int, data: dict[str, Any]) -> Any:
        activation.process.artifact_object_id = case_id
        activation.process.artifact_content_type = ContentType.objects.get_for_model(Case)
        activation.process.data = data
        return activation.process

    def task_created(self, activation: Any) -> None:
        lifecycle.on_task_created(activation)
