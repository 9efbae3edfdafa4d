"""Writes that change a case and the work around it: flagging, transitions, tasks, due jobs.

The API, the web views and the Celery jobs call these. Each checks the actor's role itself
(viewflow's activations and django-fsm-2 do not), runs inside the flow lock of the case's
process where the flow is touched, and stores notifications in the same transaction.

About transactions: viewflow's flow lock opens the transaction itself; do not call these from
inside an outer ``transaction.atomic()`` in production code (a lost lock must not abort someone
else's transaction). Errors are domain errors: 403, 400, 409.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import policies as casework_policies
from casework.dates import api_datetime
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Objective,
    ObjectiveReview,
    Stage,
    Student,
    User,
)
from casework.selectors import case_viewers
from casework.services.audit import audit_record
from casework.services.cases import (
    case_apply_transition,
    case_open,
    case_set_functions,
    check_transition_allowed,
    validate_functions,
)
from casework.services.plans import objective_create, objective_review_add
from workflows import lifecycle, policies, selectors
from workflows.flows import InterventionFlow
from workflows.models import REMINDER_BEFORE, CaseProcess, CaseTask, Notification, TaskName
from workflows.notify import notify

log = logging.getLogger(__name__)


def _lock_conflict() -> Conflict:
    return Conflict(_("Someone else is changing this case right now; try again in a moment."))


def process_of(case: Case) -> CaseProcess:
    process = CaseProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Case),
        artifact_object_id=case.pk,
        flow_class=InterventionFlow,
    ).first()
    if process is None:
        raise Conflict(_("This case has no intervention process."))
    return process


# -- cases -----------------------------------------------------------------------------------


def case_flag(*, student: Student, actor: Any, reason: str, functions: list[str]) -> Case:
    """Open a case and its process; the triage task goes to group 2, in one transaction."""
    with transaction.atomic():
        case = case_open(student=student, actor=actor, reason=reason, functions=functions)
        # A brand-new process: nobody else can hold its lock, so starting it inside our own
        # transaction is safe and keeps "case without process" impossible.
        InterventionFlow.start.run(case_id=case.pk)
    return case


def case_transition(
    *, case: Case, name: str, actor: Any, note: str = "", cancel_open_tasks: bool = False
) -> CaseEvent:
    """Run transition ``name``: the case's stage, its tasks and the notifications, together."""
    check_transition_allowed(case=case, name=name, actor=actor, note=note)
    process = process_of(case)
    try:
        if name == "withdraw":
            return _withdraw(case=case, process=process, actor=actor, note=note)
        handle = process.task_set.filter(
            flow_task=getattr(InterventionFlow, name), status=STATUS.NEW
        ).first()
        if handle is None:
            raise Conflict(
                _("Someone else changed this case a moment ago; reload it and try again.")
            )
        event: CaseEvent = getattr(InterventionFlow, name).run(
            handle,
            case=case,
            name=name,
            actor=actor,
            note=note,
            cancel_tasks=cancel_open_tasks,
        )
        return event
    except TransitionNotAllowed:
        raise Conflict(
            _("Someone else changed this case a moment ago; reload it and try again.")
        ) from None
    except FlowLockFailed:
        raise _lock_conflict() from None


def _withdraw(*, case: Case, process: CaseProcess, actor: Any, note: str) -> CaseEvent:
    with InterventionFlow.lock(process.pk):
        event = case_apply_transition(case=case, name="withdraw", actor=actor, note=note)
        lifecycle.cancel_open_tasks(case, actor=actor, why=note)
        from workflows.referrals import end_live_referrals

        end_live_referrals(case, actor=actor, archived=False)
        # The pending stage handles and any join go with the process.
        InterventionFlow.instance.cancel(process)
        lifecycle.notify_stage_changed(case, event, actor)
    return event


def objective_add(*, case: Case, actor: Any, **fields: Any) -> Objective:
    policies.require_add_objective(actor, case)
    return objective_create(case=case, actor=actor, **fields)


def objective_review(
    *, objective: Objective, actor: Any, value: str, status: str, note: str = ""
) -> ObjectiveReview:
    """Record progress on an objective: coordinators, its owner, holders of the case's tasks."""
    policies.require_review_objective(actor, objective)
    return objective_review_add(
        objective=objective, actor=actor, value=value, status=status, note=note
    )


# -- tasks -----------------------------------------------------------------------------------


def _task_event(terms: CaseTask, actor: Any, name: str, **data: Any) -> None:
    CaseEvent.objects.create(
        case_id=terms.case_id,
        kind=CaseEvent.Kind.TASK,
        actor=actor,
        name=name,
        data={"task": terms.pk, "task_name": terms.name, **data},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="task",
        object_id=terms.pk,
        data={"event": name, "case": terms.case_id, **data},
    )


@contextmanager
def _task_activation(task: Task) -> Iterator[Any]:
    """``task.activation()``, with the task and its process read in one query under the lock."""
    with task.flow_task.flow_class.lock(task.process_id):
        yield _activation(task)


def _activation(task: Task) -> Any:
    task.refresh_from_db(from_queryset=Task.objects.select_related("process"))
    return task.flow_task.activation_class(task)


def task_claim(*, terms: CaseTask, actor: Any) -> CaseTask:
    """Claim an offered task. Of concurrent claimers exactly one wins; the others get 409."""
    policies.require_offered(actor, terms)
    task = terms.task
    try:
        with task.flow_task.flow_class.lock(task.process_id):
            # Everyone racing for the task queues on this lock and reads here while holding it,
            # one after the other: the losers read two columns and leave, and only the winner
            # loads the task and its process for viewflow.
            task.status, task.owner_id = Task.objects.values_list("status", "owner_id").get(
                pk=task.pk
            )
            if task.owner_id == actor.pk and task.status == STATUS.ASSIGNED:
                return terms  # claiming what you hold is a no-op, not an error
            if task.status != STATUS.NEW:
                raise Conflict(
                    _("Someone else has already claimed this task.")
                    if task.status == STATUS.ASSIGNED
                    else _("This task is no longer open."),
                    status=terms_status(task),
                )
            activation = _activation(task)
            # viewflow never records when a task got its owner; assign() saves it with the owner.
            task.assigned = timezone.now()
            activation.assign(actor)
            _task_event(terms, actor, "task_claimed")
            notify(
                recipients=selectors.users_offered(terms),
                kind=Notification.Kind.TASK_CLAIMED,
                case=terms.case,
                task=task,
                data={"name": terms.name, "by": actor.pk},
                exclude=actor,
            )
    except FlowLockFailed:
        raise _lock_conflict() from None
    return terms


def task_release(*, terms: CaseTask, actor: Any) -> CaseTask:
    """Give back a task you hold; it is offered to the group again."""
    task = terms.task
    if task.owner_id is None and selectors.is_offered(actor, terms):
        raise Conflict(_("Nobody holds this task; there is nothing to give back."), status="open")
    policies.require_holder_to_give_back(actor, terms)
    try:
        with _task_activation(task) as activation:
            if task.owner_id != actor.pk or task.status != STATUS.ASSIGNED:
                raise Conflict(_("You no longer hold this task."), status=terms_status(task))
            task.assigned = None
            activation.unassign()
            _task_event(terms, actor, "task_released")
            notify(
                recipients=selectors.users_offered(terms),
                kind=Notification.Kind.TASK_AVAILABLE,
                case=terms.case,
                task=task,
                data={"name": terms.name, "group": terms.group, "released_by": actor.pk},
                exclude=actor,
            )
    except FlowLockFailed:
        raise _lock_conflict() from None
    return terms


def task_reassign(*, terms: CaseTask, actor: Any, to: User) -> CaseTask:
    """A coordinator gives a task to a member it is offered to (claimed or not)."""
    casework_policies.require_reassign_task(actor, terms.case)
    if not selectors.is_offered(to, terms):
        raise Invalid({"to": _("This person is not in the task's group or may not see the case.")})
    task = terms.task
    try:
        with _task_activation(task) as activation:
            previous = task.owner
            if task.status == STATUS.ASSIGNED and previous is not None and previous.pk == to.pk:
                return terms
            if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise Conflict(_("This task is no longer open."), status=terms_status(task))
            task.assigned = timezone.now()  # saved with the new owner
            if task.status == STATUS.NEW:
                activation.assign(to)
            else:
                activation.reassign(to)
            _task_event(terms, actor, "task_reassigned", to=to.pk)
            notify(
                recipients=[to],
                kind=Notification.Kind.TASK_ASSIGNED,
                case=terms.case,
                task=task,
                data={"name": terms.name, "by": actor.pk},
            )
            others = selectors.users_offered(terms).exclude(pk=to.pk)
            notify(
                recipients=others,
                kind=Notification.Kind.TASK_CLAIMED,
                case=terms.case,
                task=task,
                data={"name": terms.name, "by": to.pk},
                exclude=actor,
            )
    except FlowLockFailed:
        raise _lock_conflict() from None
    return terms


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


def task_check_held(*, terms: CaseTask, actor: Any) -> None:
    """May ``actor`` complete ``terms`` now? 403 for someone else's task, 409 for an open task
    of their group not claimed yet. The page asks this before it shows the form."""
    policies.require_may_complete(actor, terms)
    if terms.task.owner_id is None:
        raise Conflict(_("Claim the task before completing it."), status="open")


def task_complete(*, terms: CaseTask, actor: Any, result: Any) -> CaseTask:
    """Finish a task you hold. Completing triage records its result and shares the case."""
    task = terms.task
    # 403 for the role, 400 for the input, 409 for the state — in that order.
    policies.require_may_complete(actor, terms)
    result = validate_task_result(terms.name, result)
    task_check_held(terms=terms, actor=actor)
    try:
        with _task_activation(task) as activation:
            if task.owner_id != actor.pk or task.status != STATUS.ASSIGNED:
                raise Conflict(
                    _("This task is no longer yours to complete."), status=terms_status(task)
                )
            activation.start(None)
            task.data = {**task.data, "result": result}
            activation.execute()
            _task_event(terms, actor, "task_completed", result=result)
            if terms.name == TaskName.TRIAGE:
                _after_triage(terms, actor, result)
    except FlowLockFailed:
        raise _lock_conflict() from None
    return terms


def _after_triage(terms: CaseTask, actor: Any, result: dict[str, Any]) -> None:
    case = Case.objects.get(pk=terms.case_id)
    recommended = result.get("recommended_functions") or []
    if recommended and case.stage in (Stage.MONITORING, Stage.SHARED):
        case_set_functions(
            case=case, actor=actor, functions=recommended, why="Recommended at triage."
        )
    if case.stage == Stage.MONITORING:
        # The contract: completing triage shares a case still in monitoring. Same lock, same
        # transaction; the actor shares as a group 2 member (a role the policy allows).
        handle = terms.task.process.task_set.get(
            flow_task=InterventionFlow.share, status=STATUS.NEW
        )
        InterventionFlow.share.run(
            handle, case=case, name="share", actor=actor, note=result.get("summary", "")
        )


def terms_status(task: Task) -> str:
    """Our words for viewflow's task status."""
    return {
        STATUS.NEW: "open",
        STATUS.ASSIGNED: "claimed",
        STATUS.STARTED: "claimed",
        STATUS.DONE: "done",
        STATUS.CANCELED: "cancelled",
    }.get(task.status, str(task.status).lower())


# -- due dates ---------------------------------------------------------------------------------


@dataclass
class DueJobReport:
    reminded: int = 0
    escalated: int = 0


def run_due_jobs(now: Any = None) -> DueJobReport:
    """Remind holders before a task is due; escalate overdue tasks to the coordinators.

    Idempotent, and safe to run in several workers at once: each row is claimed with a
    conditional UPDATE (``reminded_at IS NULL`` / ``escalated_at IS NULL``) before anything is
    sent, so a second run — or a concurrent one — finds nothing left to do.
    """
    now = now or timezone.now()
    report = DueJobReport()
    open_claimed = CaseTask.objects.filter(task__status=STATUS.ASSIGNED, task__owner__isnull=False)
    due_soon = open_claimed.filter(
        reminded_at__isnull=True, due_at__gt=now, due_at__lte=now + REMINDER_BEFORE
    )
    for terms in due_soon.select_related("task__owner", "case"):
        with transaction.atomic():
            claimed = CaseTask.objects.filter(pk=terms.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                notify(
                    recipients=[terms.task.owner],
                    kind=Notification.Kind.TASK_DUE,
                    case=terms.case,
                    task=terms.task,
                    data={"name": terms.name, "due": api_datetime(terms.due_at)},
                )
                report.reminded += 1
    overdue = selectors.overdue(CaseTask.objects.filter(escalated_at__isnull=True))
    for terms in overdue.select_related("task__owner", "case"):
        with transaction.atomic():
            claimed = CaseTask.objects.filter(pk=terms.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            coordinators = case_viewers(terms.case).filter(
                memberships__office_id=terms.case.office_id,
                memberships__active=True,
                memberships__is_coordinator=True,
            )
            recipients = list(coordinators)
            if terms.task.owner is not None:
                recipients.append(terms.task.owner)
            notify(
                recipients=recipients,
                kind=Notification.Kind.TASK_OVERDUE,
                case=terms.case,
                task=terms.task,
                data={"name": terms.name, "due": api_datetime(terms.due_at)},
            )
            CaseEvent.objects.create(
                case=terms.case,
                kind=CaseEvent.Kind.TASK,
                name="task_escalated",
                data={"task": terms.pk, "task_name": terms.name},
            )
            report.escalated += 1
    return report


# -- notifications ---------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, actor: Any) -> Notification:
    casework_policies.require_notification_recipient(actor, notification.recipient_id)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db()
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
