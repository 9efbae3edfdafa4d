"""Due dates: reminders before a task is due, escalation once it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework.dates import api_datetime
from casework.models import CaseEvent
from casework.selectors import case_viewers
from workflows import selectors
from workflows.models import REMINDER_BEFORE, CaseTask, Notification
from workflows.notify import notify


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
    for case_task in due_soon.select_related("task__owner", "case"):
        with transaction.atomic():
            claimed = CaseTask.objects.filter(pk=case_task.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                notify(
                    recipients=[case_task.task.owner],
                    kind=Notification.Kind.TASK_DUE,
                    case=case_task.case,
                    task=case_task.task,
                    data={"name": case_task.name, "due": api_datetime(case_task.due_at)},
                )
                report.reminded += 1
    overdue = selectors.overdue(CaseTask.objects.filter(escalated_at__isnull=True))
    for case_task in overdue.select_related("task__owner", "case"):
        with transaction.atomic():
            claimed = CaseTask.objects.filter(pk=case_task.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            coordinators = case_viewers(case_task.case).filter(
                memberships__office_id=case_task.case.office_id,
                memberships__active=True,
                memberships__is_coordinator=True,
            )
            recipients = list(coordinators)
            if case_task.task.owner is not None:
                recipients.append(case_task.task.owner)
            notify(
                recipients=recipients,
                kind=Notification.Kind.TASK_OVERDUE,
                case=case_task.case,
                task=case_task.task,
                data={"name": case_task.name, "due": api_datetime(case_task.due_at)},
            )
            CaseEvent.objects.create(
                case=case_task.case,
                kind=CaseEvent.Kind.TASK,
                name="task_escalated",
                data={"task": case_task.pk, "task_name": case_task.name},
            )
            report.escalated += 1
    return report
