"""Tasks: claiming, giving back, reassigning and completing, each under its process's lock.

Of concurrent claimers exactly one wins; every change writes the timeline row, the audit row and
the notifications in the same transaction. Errors are domain errors: 403, 400, 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import policies as casework_policies
from casework import stored_text
from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, Case, CaseEvent, Stage, User
from casework.services.cases import case_set_functions, validate_functions
from workflows import lifecycle, nodes, policies, selectors, task_writes
from workflows.flows import InterventionFlow
from workflows.locking import lock_or_conflict, task_locked
from workflows.models import CaseTask, Notification, TaskName
from workflows.notify import notify


@contextmanager
def _task_activation(task: Task) -> Iterator[Any]:
    """``task.activation()``, with the task and its process read under the case's lock.

    A task of the intervention process is read with its process in the statement that takes
    the lock (``task_locked``: the same ``SELECT … FOR UPDATE`` of the process row as the flow's
    lock); an office task's lock is its case's intervention process (``CaseLock``), so it is
    taken first and the task read after it.
    """
    if task.flow_task.flow_class is InterventionFlow:
        with task_locked(task):
            yield task.flow_task.activation_class(task)
        return
    with lock_or_conflict(task.flow_task.flow_class, task.process_id):
        yield _activation(task)


def _activation(task: Task) -> Any:
    task.refresh_from_db(from_queryset=Task.objects.select_related("process"))
    return task.flow_task.activation_class(task)


def task_claim(*, case_task: CaseTask, actor: User) -> CaseTask:
    """Claim an offered task. Of concurrent claimers exactly one wins; the others get 409."""
    policies.require_offered(actor, case_task)
    task = case_task.task
    # Everyone racing for the task queues on the case's lock and reads the task (with its
    # process, for viewflow) in the same statement; the losers leave after it.
    with task_locked(task):
        if task.owner_id == actor.pk and task.status == STATUS.ASSIGNED:
            return case_task  # claiming what you hold is a no-op, not an error
        if task.status != STATUS.NEW:
            raise Conflict(
                _("Someone else has already claimed this task.")
                if task.status == STATUS.ASSIGNED
                else _("This task is no longer open."),
                status=case_task_status(task),
            )
        activation = task.flow_task.activation_class(task)
        # viewflow never records when a task got its owner; assign() saves it with the owner.
        task.assigned = timezone.now()
        activation.assign(actor)
        lifecycle.task_event(case_task, actor, "task_claimed")
        notify(
            recipients=selectors.users_offered_ids(case_task, exclude=actor),
            kind=Notification.Kind.TASK_CLAIMED,
            case=case_task.case,
            task=task,
            data={"name": case_task.name, "by": actor.pk},
        )
    return case_task


def task_release(*, case_task: CaseTask, actor: User) -> CaseTask:
    """Give back a task you hold; it is offered to the group again."""
    task = case_task.task
    if task.owner_id is None and selectors.is_offered(actor, case_task):
        raise Conflict(_("Nobody holds this task; there is nothing to give back."), status="open")
    policies.require_holder_to_give_back(actor, case_task)
    with task_locked(task):
        if task.owner_id != actor.pk or task.status != STATUS.ASSIGNED:
            raise Conflict(_("You no longer hold this task."), status=case_task_status(task))
        activation = task.flow_task.activation_class(task)
        task.assigned = None
        activation.unassign()
        lifecycle.task_event(case_task, actor, "task_released")
        notify(
            recipients=selectors.users_offered_ids(case_task, exclude=actor),
            kind=Notification.Kind.TASK_AVAILABLE,
            case=case_task.case,
            task=task,
            data={"name": case_task.name, "group": case_task.group, "released_by": actor.pk},
        )
    return case_task


def task_reassign(*, case_task: CaseTask, actor: User, to: User) -> CaseTask:
    """A coordinator gives a task to a member it is offered to (claimed or not)."""
    casework_policies.require_reassign_task(actor, case_task.case)
    if not selectors.is_offered(to, case_task):
        raise Invalid({"to": _("This person is not in the task's group or may not see the case.")})
    task = case_task.task
    with _task_activation(task) as activation:
        previous = task.owner
        if task.status == STATUS.ASSIGNED and previous is not None and previous.pk == to.pk:
            return case_task
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise Conflict(_("This task is no longer open."), status=case_task_status(task))
        task.assigned = timezone.now()  # saved with the new owner
        if task.status == STATUS.NEW:
            activation.assign(to)
        else:
            activation.reassign(to)
        lifecycle.task_event(case_task, actor, "task_reassigned", to=to.pk)
        notify(
            recipients=[to],
            kind=Notification.Kind.TASK_ASSIGNED,
            case=case_task.case,
            task=task,
            data={"name": case_task.name, "by": actor.pk},
        )
        others = selectors.users_offered(case_task).exclude(pk=to.pk)
        notify(
            recipients=others,
            kind=Notification.Kind.TASK_CLAIMED,
            case=case_task.case,
            task=task,
            data={"name": case_task.name, "by": to.pk},
            exclude=actor,
        )
    return case_task


PRIORITY_WORDS = {"high": 1, "medium": 2, "low": 3}


def validate_task_result(name: str, result: Any) -> dict[str, Any]:
    """The result a task records: triage needs a summary, a priority (1 = highest, or
    high/medium/low) and the recommended functions; other tasks take an optional note."""
    if not isinstance(result, dict):
        raise Invalid({"non_field_errors": _("Expected an object.")})
    note = str(result.get("note") or "").strip()
    if name != TaskName.TRIAGE:
        return {"note": note}
    errors: dict[str, list[str] | str] = {}
    summary = str(result.get("summary") or "").strip()
    if not summary:
        errors["summary"] = _("Summarise the situation for the office meeting.")
    raw_priority = result.get("priority")
    priority = PRIORITY_WORDS.get(str(raw_priority).lower(), raw_priority)
    if isinstance(priority, str) and priority.isdigit():
        priority = int(priority)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 3:
        errors["priority"] = _("Choose 1 (high), 2 (medium) or 3 (low).")
    functions: list[str] = []
    try:
        functions = validate_functions(result.get("recommended_functions"))
    except Invalid as invalid:
        errors["recommended_functions"] = invalid.fields["functions"]
    if errors:
        raise Invalid(errors)
    return {
        "summary": summary,
        "priority": priority,
        "recommended_functions": functions,
        "note": note,
    }


def task_check_held(*, case_task: CaseTask, actor: User) -> None:
    """May ``actor`` complete ``case_task`` now? 403 for someone else's task, 409 for an open task
    of their group not claimed yet. The page asks this before it shows the form."""
    policies.require_may_complete(actor, case_task)
    if case_task.task.owner_id is None:
        raise Conflict(_("Claim the task before completing it."), status="open")


def task_complete(*, case_task: CaseTask, actor: User, result: Any) -> CaseTask:
    """Finish a task you hold. Completing triage records its result and shares the case."""
    task = case_task.task
    # 403 for the role, 400 for the input, 409 for the state — in that order.
    policies.require_may_complete(actor, case_task)
    result = validate_task_result(case_task.name, result)
    task_check_held(case_task=case_task, actor=actor)
    with _task_activation(task) as activation:
        if task.owner_id != actor.pk or task.status != STATUS.ASSIGNED:
            raise Conflict(
                _("This task is no longer yours to complete."), status=case_task_status(task)
            )
        activation.start(None)
        task.data = {**task.data, "result": result}
        # The process rows of the step (this task, the join or End after it, for triage the
        # share handle and the next stage's) are written together when it ends.
        with task_writes.written_together(task.process):
            activation.execute()
            rows: tuple[CaseEvent, AuditEvent] | None = lifecycle.task_event_rows(
                case_task, actor, "task_completed", result=result
            )
            if case_task.name == TaskName.TRIAGE:
                rows = _after_triage(case_task, actor, result, rows)
            if rows is not None:
                rows[0].save(force_insert=True)
                rows[1].save(force_insert=True)
    return case_task


def _after_triage(
    case_task: CaseTask, actor: User, result: dict[str, Any], rows: Any
) -> tuple[CaseEvent, AuditEvent] | None:
    """Share the case triage prepared; the completion's timeline and audit rows (``rows``) go
    in with the share's (None returned), or are handed back to be written."""
    case = case_task.case
    held_in = getattr(case, selectors.LOCKED_IN, None)
    if held_in is None or not any(b is held_in for b in connection.atomic_blocks):
        case = Case.objects.select_related("office").get(pk=case_task.case_id)  # under the lock
    recommended = result.get("recommended_functions") or []
    open_stage = case.stage in (Stage.MONITORING, Stage.SHARED)
    if recommended and recommended != case.functions and open_stage:
        rows[0].save(force_insert=True)  # before the change of functions, as they happened
        rows[1].save(force_insert=True)
        rows = None
    if recommended and case.stage in (Stage.MONITORING, Stage.SHARED):
        case_set_functions(
            case=case, actor=actor, functions=recommended, why=stored_text.RECOMMENDED_AT_TRIAGE
        )
    if case.stage == Stage.MONITORING:
        # The contract: completing triage shares a case still in monitoring. Same lock, same
        # transaction; the actor shares as a group 2 member (a role the policy allows).
        process = case_task.task.process
        # The triage branch's End read the process's unfinished tasks under this lock a moment
        # ago: the share handle is one of them.
        handle = next(
            (
                t
                for t in task_writes.unfinished_read(process) or []
                if t.flow_task == InterventionFlow.share and t.status == STATUS.NEW
            ),
            None,
        ) or process.task_set.get(flow_task=InterventionFlow.share, status=STATUS.NEW)
        handle.process = process  # the one read under the lock held since task_complete began
        nodes.run_handle_held(
            InterventionFlow.share,
            handle,
            case=case,
            name="share",
            actor=actor,
            note=result.get("summary", ""),
            after=rows,
        )
        return None
    return rows


def case_task_status(task: Task) -> str:
    """Our words for viewflow's task status."""
    return {
        STATUS.NEW: "open",
        STATUS.ASSIGNED: "claimed",
        STATUS.STARTED: "claimed",
        STATUS.DONE: "done",
        STATUS.CANCELED: "cancelled",
    }.get(task.status, str(task.status).lower())
