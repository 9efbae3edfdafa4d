"""What the flow's nodes do: they call these, inside the flow's lock and transaction.

Handle nodes move the case's stage field (the single source of truth) through
``apply_transition``; View nodes' onCreate hook writes our case_task for the new task and tells the
people it is offered to. The steps here sit below the flows and the services that call them:
they import neither.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from viewflow.workflow.activation import _can_cancel
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import stored_text
from casework.errors import Conflict
from casework.models import AuditEvent, Case, CaseEvent, Referral, User
from casework.selectors import case_viewers
from casework.services.audit import audit_row
from casework.services.cases import check_transition_allowed
from casework.services.referrals import referral_event
from workflows import selectors
from workflows.models import DEFAULT_DUE_DAYS, CaseTask, DuePeriod, Notification, TaskName
from workflows.notify import notify

_CASE = "_action_office_case"
_DUE_DAYS = "_action_office_due_days"
_OPENED_WITH = "_action_office_opened_with"


def remember_case(process: Any, case: Case) -> None:
    """Keep the case on its process object for this transaction (``case_of`` answers with it).

    The tasks created for it and their timeline rows are kept on the case too, so the flag can
    answer with the case as it now is without reading it back (``opened_with``).
    """
    setattr(process, _CASE, case)
    setattr(case, _OPENED_WITH, ([], []))


def opened_with(case: Case) -> tuple[list[CaseEvent], list[CaseTask]]:
    """The timeline rows and tasks written for a case remembered since it was opened."""
    known: tuple[list[CaseEvent], list[CaseTask]] = getattr(case, _OPENED_WITH, ([], []))
    return known


def due_days_query(office_id: int, task_name: str) -> Any:
    """The office's due period for ``task_name`` (days), as a subquery another read can carry."""
    return (
        DuePeriod.objects.filter(office_id=office_id, task=task_name)
        .order_by("id")
        .values("days")[:1]
    )


def remember_due_days(case: Case, task_name: str, days: int | None) -> None:
    """The office's due period for ``task_name`` read along with something else (None: the
    office set none), so ``due_at`` need not read it again."""
    known = {**getattr(case, _DUE_DAYS, {}), task_name: days}
    setattr(case, _DUE_DAYS, known)


def case_of(activation: Any) -> Case:
    known: Case | None = getattr(activation.process, _CASE, None)
    if known is not None and known.pk == activation.process.artifact_object_id:
        return known
    return Case.objects.select_related("office", "student").get(
        pk=activation.process.artifact_object_id
    )


def due_at(case: Case, task_name: str, start: datetime.datetime) -> datetime.datetime:
    known: dict[str, int | None] = getattr(case, _DUE_DAYS, {})
    if task_name in known:
        days = known[task_name]
    else:
        period = DuePeriod.objects.filter(office_id=case.office_id, task=task_name).first()
        days = period.days if period else None
    return start + datetime.timedelta(days=DEFAULT_DUE_DAYS[task_name] if days is None else days)


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
    case_task = CaseTask.objects.create(
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
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TASK,
        actor=task.owner,
        name="task_created",
        note=case_task.title,
        data={"task": task.pk, "task_name": node.name, "group": group, **origin},
    )
    if hasattr(case, _OPENED_WITH):
        opened_with(case)[0].append(event)
        opened_with(case)[1].append(case_task)
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
            recipients=selectors.users_offered_ids(case_task),
            kind=Notification.Kind.TASK_AVAILABLE,
            case=case,
            task=task,
            data={"name": node.name, "group": group, **origin},
        )


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def cancel_open_tasks(case: Case, *, actor: User, names: list[str] | None = None, why: str) -> int:
    """Cancel the case's open human tasks (all, or those named), telling their holders.

    Runs inside the flow lock of the case's process, so no claim or completion interleaves.
    """
    open_case_tasks = selectors.open_tasks_of_case(case.pk).select_related("task__owner")
    if names is not None:
        open_case_tasks = open_case_tasks.filter(name__in=names)
    cancelled = 0
    for case_task in open_case_tasks:
        task = case_task.task
        activation = task.flow_task.activation_class(task)
        if not _can_cancel(activation):
            continue
        holder = task.owner
        if case_task.name == TaskName.OFFICE_TASK:
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
            data={"task": task.pk, "task_name": case_task.name},
        )
        if holder is not None:
            notify(
                recipients=[holder],
                kind=Notification.Kind.TASK_CANCELLED,
                case=case,
                task=task,
                data={"name": case_task.name, "why": why},
                exclude=actor,
            )
    # A join still waiting for cancelled branches would wait forever: close it too.
    # Only the intervention process of a case has a join.
    for join in Task.objects.filter(
        process__artifact_content_type=ContentType.objects.get_for_model(Case),
        process__artifact_object_id=case.pk,
        flow_task_type="JOIN",
        status__in=[STATUS.NEW, STATUS.STARTED],
    ):
        join.flow_task.activation_class(join).cancel()
    return cancelled


# Work the office no longer needs once a transition has happened (cancelled with a reason).
SUPERSEDED_BY = {
    # The meeting has decided: the triage that prepared the case for it is moot.
    "start_intervention": (["triage"], stored_text.INTERVENTION_STARTED),
    # The closing review replaces a closing meeting nobody recorded as done; tasks the office
    # meeting decided and nobody finished end with the case.
    "archive": (["closing_meeting", "office_task"], stored_text.CASE_ARCHIVED),
}


def run_transition(
    activation: Any,
    *,
    case: Case,
    name: str,
    actor: User,
    note: str = "",
    cancel_tasks: bool = False,
    after: tuple[CaseEvent, AuditEvent] | None = None,
) -> CaseEvent:
    """Handle-node body: move the case, retire work it supersedes, tell who may see it.

    ``after``: rows of the step that led here, not written yet (``task_event_rows``), written
    before the transition's own in the same inserts (see ``apply_transition``).
    """
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
    event = apply_transition(case=case, name=name, actor=actor, note=note, after=after)
    if name in SUPERSEDED_BY:
        names, why = SUPERSEDED_BY[name]
        cancel_open_tasks(case, actor=actor, names=names, why=why)
    if cancel_tasks:
        cancel_open_tasks(case, actor=actor, why=note or stored_text.CASE_MOVED_ON)
    if name == "archive":
        end_live_referrals(case, actor=actor, archived=True)
        # The library-publication task goes to the coordinator who archived the case.
        activation.process.data = {**activation.process.data, "archived_by": actor.pk}
        activation.process.save(update_fields=["data"])
    notify_stage_changed(case, event, actor)
    return event


def apply_transition(
    *,
    case: Case,
    name: str,
    actor: User,
    note: str = "",
    after: tuple[CaseEvent, AuditEvent] | None = None,
) -> CaseEvent:
    """Move the case's stage and record it, inside the caller's lock and transaction.

    ``case`` may be a stale copy: ConcurrentTransitionMixin saves only if the stage in the
    database is still the one this copy was loaded with, so of two racing requests one wins and
    the other gets a 409. The savepoint is for callers that catch that 409 and go on in the
    same transaction (a failed save without one marks the whole transaction for rollback).

    ``after``: the timeline and audit rows of the step that led here (completing triage), not
    written yet; they go in first, in the same inserts as the transition's. That step is one
    request's transaction, which a 409 rolls back whole: no savepoint then.
    """
    check_transition_allowed(case=case, name=name, actor=actor, note=note)
    source = case.stage
    with transaction.atomic(savepoint=after is None):
        getattr(case, name)()
        try:
            case.save()
        except ConcurrentTransition:
            raise Conflict(
                _("Someone else changed this case a moment ago; reload it and try again.")
            ) from None
        event = CaseEvent(
            case=case,
            kind=CaseEvent.Kind.TRANSITION,
            actor=actor,
            from_stage=source,
            to_stage=case.stage,
            name=name,
            note=note.strip(),
            data={},
        )
        audit = audit_row(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=case,
            data={"name": name, "from": source, "to": case.stage},
        )
        if after is None:
            event.save(force_insert=True)
            audit.save(force_insert=True)
        else:
            CaseEvent.objects.bulk_create([after[0], event])
            AuditEvent.objects.bulk_create([after[1], audit])
    return event


def end_live_referrals(case: Case, *, actor: User, archived: bool) -> list[Referral]:
    """A case leaving for good ends its referrals: on archive the accepted ones are done and
    pending ones revoked; on withdrawal all are revoked. Runs inside the transition's lock."""
    ended = []
    live = Referral.objects.filter(
        Q(status=Referral.Status.REQUESTED) | Q(status=Referral.Status.ACCEPTED), case=case
    ).select_related("case", "to_user", "requested_by")
    why = stored_text.CASE_ARCHIVED if archived else stored_text.CASE_WITHDRAWN
    for referral in live:
        name = "complete" if archived and referral.status == Referral.Status.ACCEPTED else "revoke"
        getattr(referral, name)()
        referral.ended_by = actor
        referral.reason = why
        referral.save()
        referral_event(referral, actor, f"referral_{referral.status}", note=why)
        if referral.to_user is not None:
            notify(
                recipients=[referral.to_user],
                kind=Notification.Kind.REFERRAL_ENDED,
                data={"referral": referral.pk, "status": referral.status},
                exclude=actor,
            )
        ended.append(referral)
    return ended


def task_event(task: CaseTask, actor: User | None, name: str, **data: Any) -> None:
    """A task's row on the case's timeline and in the audit trail."""
    event, audit = task_event_rows(task, actor, name, **data)
    event.save(force_insert=True)
    audit.save(force_insert=True)


def task_event_rows(
    task: CaseTask, actor: User | None, name: str, **data: Any
) -> tuple[CaseEvent, AuditEvent]:
    """``task_event``'s two rows, not written yet (``apply_transition(after=…)`` writes them
    with its own: one insert per table)."""
    event = CaseEvent(
        case_id=task.case_id,
        kind=CaseEvent.Kind.TASK,
        actor=actor,
        name=name,
        data={"task": task.pk, "task_name": task.name, **data},
    )
    audit = audit_row(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="task",
        object_id=task.pk,
        data={"event": name, "case": task.case_id, **data},
    )
    return event, audit


def notify_stage_changed(case: Case, event: CaseEvent, actor: User) -> None:
    notify(
        recipients=case_viewers(case),
        kind=Notification.Kind.CASE_STAGE_CHANGED,
        case=case,
        data={"from": event.from_stage, "to": event.to_stage, "transition": event.name},
        exclude=actor,
    )


def case_of_task(task: Task) -> Case:
    return Case.objects.select_related("office").get(pk=task.process.artifact_object_id)
