"""Reminders before a report's step is due: the author before the semester's deadline, the
receivers before the week they have to register, analyse or approve."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework.dates import api_datetime
from counselling.models import ReportTask
from counselling.reports.steps import receivers_of
from workflows.models import Notification
from workflows.notify import notify

# An author needs a few days to write a report: reminded three days before the deadline.
REMIND_BEFORE = datetime.timedelta(days=3)


def report_reminders_send(now: Any = None) -> int:
    """Remind whoever acts at each open step due within ``REMIND_BEFORE``; returns how many.

    Safe to run in several workers at once: each step is claimed with a conditional UPDATE
    (``reminded_at IS NULL``) before anything is sent, so a step is reminded once.
    """
    now = now or timezone.now()
    due_soon = ReportTask.objects.filter(
        task__status__in=[STATUS.NEW, STATUS.ASSIGNED],
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + REMIND_BEFORE,
    ).select_related("task__owner", "report__school")
    reminded = 0
    for step in due_soon:
        with transaction.atomic():
            if not ReportTask.objects.filter(pk=step.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            owner = step.task.owner
            notify(
                recipients=[owner] if owner is not None else receivers_of(step.report),
                kind=Notification.Kind.TASK_DUE,
                task=step.task,
                data={
                    "report": step.report_id,
                    "name": step.name,
                    "due": api_datetime(step.due_at),
                },
            )
            reminded += 1
    return reminded
