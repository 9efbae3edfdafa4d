"""What happens when a report's step is created (the flow's onCreate hook): the step's row
with its due date, and the notification to whoever acts next, as the case tasks do."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import User
from casework.positions import holders_of_any
from counselling.models import Report, ReportTask
from counselling.reports.periods import parse_period
from counselling.reports.policies import RECEIVERS
from workflows.models import Notification
from workflows.notify import notify

# The receiver's steps are due a week after they appear.
RECEIVER_DAYS = 7
# The semester's deadline: a report is handed in within ten days of the period's end (a returned
# one is due a week after it came back, like the receiver's steps).
DEADLINE_DAYS = 10


def receivers_of(report: Report) -> QuerySet[User]:
    return holders_of_any(report.school, list(RECEIVERS[report.kind]))


def due_for(report: Report, step: str, now: datetime.datetime) -> datetime.datetime:
    if step == "draft":
        deadline = parse_period(report.period).end + datetime.timedelta(days=DEADLINE_DAYS)
        return timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(23, 59)))
    return now + datetime.timedelta(days=RECEIVER_DAYS)


def on_step_created(activation: Any, report: Report) -> None:
    task = activation.task
    name = activation.flow_task.name
    now = timezone.now()
    ReportTask.objects.create(
        task=task, report=report, name=name, due_at=due_for(report, name, now)
    )
    data = {"report": report.pk, "name": name, "kind": report.kind}
    if task.owner_id is not None:
        task.assigned = now
        task.save(update_fields=["assigned"])
        notify(recipients=[task.owner], kind=Notification.Kind.TASK_ASSIGNED, task=task, data=data)
    else:
        notify(
            recipients=receivers_of(report),
            kind=Notification.Kind.TASK_AVAILABLE,
            task=task,
            data=data,
        )
