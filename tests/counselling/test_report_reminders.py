"""Reminders before a report's step is due: sent once, to whoever acts at the step."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from counselling.reports import services
from counselling.reports.due import report_reminders_send
from counselling.tasks import send_report_reminders
from tests.counselling.conftest import Staff
from workflows.models import Notification

pytestmark = pytest.mark.django_db

# The second semester's deadline is 10 September; the reminder comes three days before.
DRAFTED = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
THREE_DAYS_BEFORE = datetime.datetime(2026, 9, 8, 9, tzinfo=datetime.UTC)


def _due(staff: Staff) -> int:
    return Notification.objects.filter(recipient=staff.tutor, kind="task.due").count()


def test_it_reminds_the_author_before_the_semester_deadline_once(staff: Staff) -> None:
    with time_machine.travel(DRAFTED, tick=False):
        report = services.report_draft(
            actor=staff.tutor, kind="counselling_semester", period="2025-2026/2"
        )
        assert report_reminders_send() == 0
    with time_machine.travel(THREE_DAYS_BEFORE, tick=False):
        assert send_report_reminders() == 1
        assert report_reminders_send() == 0
    note = Notification.objects.get(recipient=staff.tutor, kind="task.due")
    assert note.data["report"] == report.pk and note.data["name"] == "draft"


def test_it_reminds_nobody_once_the_report_is_submitted(staff: Staff) -> None:
    with time_machine.travel(DRAFTED, tick=False):
        report = services.report_draft(
            actor=staff.tutor, kind="counselling_semester", period="2025-2026/2"
        )
        services.report_submit(actor=staff.tutor, report=report)
    with time_machine.travel(THREE_DAYS_BEFORE, tick=False):
        report_reminders_send()
    assert _due(staff) == 0


def test_it_reminds_the_receivers_of_a_step_nobody_took(staff: Staff) -> None:
    with time_machine.travel(DRAFTED, tick=False):
        report = services.report_draft(
            actor=staff.tutor, kind="counselling_semester", period="2025-2026/2"
        )
        services.report_submit(actor=staff.tutor, report=report)
    with time_machine.travel(DRAFTED + datetime.timedelta(days=5), tick=False):
        assert report_reminders_send() == 1
    assert Notification.objects.filter(recipient=staff.counsellor, kind="task.due").exists()
