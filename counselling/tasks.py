"""Celery tasks of the counselling area: they load nothing themselves and call the services."""

from __future__ import annotations

from celery import shared_task

from counselling.reports.due import report_reminders_send


@shared_task(name="counselling.tasks.send_report_reminders", ignore_result=True)
def send_report_reminders() -> int:
    return report_reminders_send()
