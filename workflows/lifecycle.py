"""What the flow's nodes do: they call these, inside the flow's lock and transaction.

Handle nodes move the case through the casework service (the stage field stays the single
source of truth); View nodes' onCreate hook writes our terms for the new task and tells the
people it is offered to.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.activation import _can_cancel
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.errors import Conflict
from casework.models import Case, CaseEvent, User
from casework.selectors import case_viewers
from casework.services.cases import case_apply_transition
from workflows import selectors
from workflows.models import DEFAULT_DUE_DAYS, CaseTask, DuePeriod, Notification, TaskName
from workflows.notify import notify


def case_of(activation: Any) -> Case:
    return Case.objects.select_related("office", "student").get(
        pk=activation.process.artifact_object_id
    )


def due_at(case: Case, task_name: str, start: datetime.datetime) -> datetime.datetime:
    period = DuePeriod.objects.filter(office_id=case.office_id, task=task_name).first()
    days = period.days if period else DEFAULT_DUE_DAYS[task_name]
    return start + datetime.timedelta(days=days)


def on_task_created(activation: Any) -> None:
    """onCreate hook of every human task node."""
    node = activation.flow_task
    task: Task = activation.task
    case = case_of(activation)
    now = timezone.now()
    if task.owner_id is not None:
        # viewflow never records when a task got its owner; we do.
        task.assigned = now
        task.save(update_fields=["assigned"])
    group = node.group_for(task)
    # A task the office meeting decided carries its title, due date and origin in the process.
    decided = activation.process.data if node.group_from_process else {}
    due = due_at(case, node.name, now)
    if decided.get("due"):
        due = _end_of_day(datetime.date.fromisoformat(decided["due"]))
    terms = CaseTask.objects.create(
        task=task,
        case=case,
        name=node.name,
        title=decided.get("title", ""),
        group=group,
        second_group=node.second_group,
        coordinators_only=node.coordinators_only,
        due_at=due,
    )
    origin = {k: decided[k] for k in ("meeting", "decision") if k in decided}
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TASK,
        actor=task.owner,
        name="task_created",
        note=terms.title,
        data={"task": task.pk, "task_name": node.name, "group": group, **origin},
    )
    if task.owner_id is not None:
        notify(
            recipients=[task.owner],
            kind=Notification.Kind.TASK_ASSIGNED,
            case=case,
            task=task,
            data={"name": node.name},
        )
    else:
        notify(
            recipients=selectors.users_offered(terms),
            kind=Notification.Kind.TASK_AVAILABLE,
            case=case,
            task=task,
            data={"name": node.name, "group": group, **origin},
        )


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def cancel_open_tasks(case: Case, *, actor: Any, names: list[str] | None = None, why: str) -> int:
    """Cancel the case's open human tasks (all, or those named), telling their holders.

    Runs inside the flow lock of the case's process, so no claim or completion interleaves.
    """
    open_terms = selectors.open_tasks_of_case(case.pk).select_related("task__owner")
    if names is not None:
        open_terms = open_terms.filter(name__in=names)
    cancelled = 0
    for terms in open_terms:
        task = terms.task
        activation = task.flow_task.activation_class(task)
        if not _can_cancel(activation):
            continue
        holder = task.owner
        if terms.name == TaskName.OFFICE_TASK:
            # The office task is its process's only work: the process ends with it.
            task.flow_task.flow_class.instance.cancel(task.process)
        else:
            activation.cancel()
        cancelled += 1
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.TASK,
            actor=actor,
            name="task_cancelled",
            note=why,
            data={"task": task.pk, "task_name": terms.name},
        )
        if holder is not None:
            notify(
                recipients=[holder],
                kind=Notification.Kind.TASK_CANCELLED,
                case=case,
                task=task,
                data={"name": terms.name, "why": why},
                exclude=actor,
            )
    # A join still waiting for cancelled branches would wait forever: close it too.
    for join in Task.objects.filter(
        process_id=_process_id(case), flow_task_type="JOIN", status__in=[STATUS.NEW, STATUS.STARTED]
    ):
        join.flow_task.activation_class(join).cancel()
    return cancelled


def _process_id(case: Case) -> int | None:
    from workflows.flows import InterventionFlow
    from workflows.models import CaseProcess

    return (
        CaseProcess.objects.filter(artifact_object_id=case.pk, flow_class=InterventionFlow)
        .values_list("pk", flat=True)
        .first()
    )


# Work the office no longer needs once a transition has happened (cancelled with a reason).
SUPERSEDED_BY = {
    # The meeting has decided: the triage that prepared the case for it is moot.
    "start_intervention": (["triage"], "The office started the intervention."),
    # The closing review replaces a closing meeting nobody recorded as done; tasks the office
    # meeting decided and nobody finished end with the case.
    "archive": (["closing_meeting", "office_task"], "The case was archived."),
}


def run_transition(
    activation: Any,
    *,
    case: Case,
    name: str,
    actor: User,
    note: str = "",
    cancel_tasks: bool = False,
) -> CaseEvent:
    """Handle-node body: move the case, retire work it supersedes, tell who may see it."""
    if name == "start_closing" and not cancel_tasks:
        # The join before closing: every task of the intervention is done, or the coordinator
        # says to cancel what is left (checked here, under the lock, so no task finishes or
        # appears between the check and the move).
        still_open = list(selectors.open_tasks_of_case(case.pk).values_list("pk", flat=True))
        if still_open:
            raise Conflict(
                _(
                    "Some tasks of this case are still open; finish them first, or close with "
                    '"cancel_open_tasks": true to cancel them.'
                ),
                open_tasks=still_open,
            )
    event = case_apply_transition(case=case, name=name, actor=actor, note=note)
    if name in SUPERSEDED_BY:
        names, why = SUPERSEDED_BY[name]
        cancel_open_tasks(case, actor=actor, names=names, why=why)
    if cancel_tasks:
        cancel_open_tasks(case, actor=actor, why=note or "Cancelled when the case moved on.")
    if name == "archive":
        from workflows.referrals import end_live_referrals

        end_live_referrals(case, actor=actor, archived=True)
        # The library-publication task goes to the coordinator who archived the case.
        activation.process.data = {**activation.process.data, "archived_by": actor.pk}
        activation.process.save(update_fields=["data"])
    notify_stage_changed(case, event, actor)
    return event


def notify_stage_changed(case: Case, event: CaseEvent, actor: Any) -> None:
    notify(
        recipients=case_viewers(case),
        kind=Notification.Kind.CASE_STAGE_CHANGED,
        case=case,
        data={"from": event.from_stage, "to": event.to_stage, "transition": event.name},
        exclude=actor,
    )


def case_of_task(task: Task) -> Case:
    return Case.objects.select_related("office").get(pk=task.process.artifact_object_id)
