"""Due dates, reminders before them and escalation after them — each sent exactly once."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from casework.models import Case
from tests.factories import World
from workflows import services
from workflows.models import CaseTask, DuePeriod, Notification
from workflows.tasks import run_due_jobs as celery_run_due_jobs

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def triage(world: World) -> CaseTask:
    from tests.factories import make_student

    with time_machine.travel(START, tick=False):
        case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["pedagogical"],
        )
        case_task = CaseTask.objects.get(case=case, name="triage")
        services.task_claim(case_task=case_task, actor=world.psychologist)
    return case_task


def _kinds(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind__in=["task.due", "task.overdue"])
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_it_gives_triage_three_days_by_default(triage: CaseTask) -> None:
    assert triage.due_at == START + datetime.timedelta(days=3)


def test_it_uses_the_offices_own_due_period(world: World) -> None:
    from tests.factories import make_student

    DuePeriod.objects.create(office=world.office, task="triage", days=1)
    with time_machine.travel(START, tick=False):
        case: Case = services.case_flag(
            student=make_student(world.school),
            actor=world.teacher,
            reason="r",
            functions=["information"],
        )
    assert CaseTask.objects.get(case=case).due_at == START + datetime.timedelta(days=1)


def test_it_reminds_the_holder_once_the_day_before(triage: CaseTask, world: World) -> None:
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        assert services.run_due_jobs().reminded == 0
    with time_machine.travel(START + datetime.timedelta(days=2, hours=1), tick=False):
        assert services.run_due_jobs().reminded == 1
        assert services.run_due_jobs().reminded == 0  # run twice: sent once
    assert _kinds(world.psychologist) == ["task.due"]
    assert _kinds(world.psychologist2) == []


def test_it_escalates_an_overdue_task_to_the_coordinators_once(
    triage: CaseTask, world: World
) -> None:
    with time_machine.travel(START + datetime.timedelta(days=3, minutes=1), tick=False):
        first = services.run_due_jobs()
        second = services.run_due_jobs()
    assert (first.escalated, second.escalated) == (1, 0)
    assert _kinds(world.coordinator) == ["task.overdue"]
    assert _kinds(world.psychologist) == ["task.overdue"]  # no late reminder once it is overdue
    assert triage.case.events.filter(name="task_escalated").count() == 1


def test_it_escalates_an_unclaimed_overdue_task(world: World, case: Case) -> None:
    case_task = CaseTask.objects.get(case=case, name="triage")
    with time_machine.travel(case_task.due_at + datetime.timedelta(hours=1), tick=False):
        assert services.run_due_jobs().escalated == 1
    assert _kinds(world.coordinator) == ["task.overdue"]


def test_it_leaves_finished_tasks_alone(triage: CaseTask, world: World) -> None:
    services.task_complete(
        case_task=triage,
        actor=world.psychologist,
        result={"summary": "s", "priority": 2, "recommended_functions": ["pedagogical"]},
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30), tick=False):
        report = services.run_due_jobs()
    assert (report.reminded, report.escalated) == (0, 0)


def test_it_runs_from_the_command_and_from_celery(triage: CaseTask, world: World) -> None:
    out = io.StringIO()
    with time_machine.travel(START + datetime.timedelta(days=2, hours=12), tick=False):
        call_command("run_due_jobs", stdout=out)
        assert celery_run_due_jobs.delay().get() == {"reminded": 0, "escalated": 0}
    assert out.getvalue().strip() == "reminded 1, escalated 0"


def test_it_writes_notification_and_task_times_in_one_zone(
    triage: CaseTask, world: World, settings: Any
) -> None:
    """The API has one zone (TIME_ZONE): a task's due date reads the same in the task list and
    in its reminder, and the notification's own time carries the same offset."""
    from tests.conftest import client_for

    settings.TIME_ZONE = "Europe/Bucharest"
    with time_machine.travel(START + datetime.timedelta(days=2, hours=1), tick=False):
        services.run_due_jobs()
    client = client_for(world.psychologist)
    task = client.get(f"/api/tasks/{triage.pk}/").json()
    [reminder] = client.get("/api/notifications/", {"type": "task.due"}).json()["results"][:1]
    assert reminder["type"] == "task.due"
    assert reminder["due"] == task["due"] == "2026-03-05T11:00:00+02:00"
    assert reminder["created_at"] == "2026-03-04T12:00:00+02:00"
